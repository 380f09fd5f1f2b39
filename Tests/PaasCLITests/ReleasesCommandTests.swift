import Foundation
import PaasAPI
import PaasController
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct ReleasesCommandTests {
    @Test func configChangesShowUpAsReleases() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("rel")
            #expect(try await sandbox.paas("config:set", "FOO=bar", "-a", "rel").status == 0)
            #expect(try await sandbox.paas("config:unset", "FOO", "-a", "rel").status == 0)

            let table = try await sandbox.paas("releases", "-a", "rel")
            #expect(table.status == 0, "\(table.stderr)")
            let columns = table.lines.map { line in
                line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            }
            #expect(columns.count == 4)
            #expect(columns[0] == ["VERSION", "STATUS", "DESCRIPTION", "STACK", "BY", "CREATED"])
            #expect(columns[1].prefix(5) == ["v3", "succeeded (current)", "Unset FOO config var", "-", "admin"])
            #expect(columns[2].prefix(5) == ["v2", "succeeded", "Set FOO config var", "-", "admin"])
            #expect(columns[3].prefix(5) == ["v1", "succeeded", "Initial release", "-", "admin"])

            let json = try await sandbox.paas("releases", "-a", "rel", "--json")
            let releases = try json.decoded([ReleaseResource].self)
            #expect(releases.map(\.version) == [3, 2, 1])
            // The API's own keys, snake_case.
            #expect(json.stdout.contains("\"created_by\" : \"admin\""))
            #expect(json.stdout.contains("\"process_types\" : {"))
        }
    }

    @Test func infoShowsOneReleaseWithItsConfig() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("rel")
            #expect(try await sandbox.paas("config:set", "FOO=bar", "-a", "rel").status == 0)
            #expect(try await sandbox.paas("config:set", "BAZ=qux", "-a", "rel").status == 0)

            for argument in ["v2", "2"] {
                let info = try await sandbox.paas("releases:info", argument, "-a", "rel")
                #expect(info.status == 0, "\(info.stderr)")
                #expect(Array(info.lines.prefix(4)) == [
                    "=== Release v2",
                    "Description:   Set FOO config var",
                    "Status:        succeeded",
                    "By:            admin",
                ])
                #expect(info.lines.contains("Slug:          -"))
                #expect(info.lines.contains("Stack:         -"))
                #expect(Array(info.lines.suffix(2)) == ["=== v2 Config Vars", "FOO: bar"])
            }

            let current = try await sandbox.paas("releases:info", "-a", "rel")
            #expect(current.lines.first == "=== Release v3")
            #expect(current.lines.contains("Status:        succeeded (current)"))

            let json = try await sandbox.paas("releases:info", "v3", "-a", "rel", "--json")
            #expect(try json.decoded(ReleaseResource.self).config == ["FOO": "bar", "BAZ": "qux"])

            let bad = try await sandbox.paas("releases:info", "vx", "-a", "rel")
            #expect(bad.status == 2)
            let missing = try await sandbox.paas("releases:info", "v99", "-a", "rel")
            #expect(missing.status == 1)
            #expect(missing.stderr == "error: App 'rel' has no release v99. Run 'paas releases -a rel' to list them.\n")
        }
    }

    @Test func rollbackToAReleaseWithoutCodeIsRefused() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("rel")
            #expect(try await sandbox.paas("config:set", "FOO=bar", "-a", "rel").status == 0)
            let result = try await sandbox.paas("rollback", "v1", "-a", "rel")
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("Rolling back rel to v1... failed\nerror: v1 has no slug"))
            #expect(try await sandbox.platform.client.releases(app: "rel").count == 2)
        }
    }

    @Test func rollbackMakesANewReleaseFromAnOldOne() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("rel")
            try await sandbox.platform.withStore { store in
                let app = try await store.requireApp(named: "rel")
                _ = try await store.recordSucceededDeploy(
                    app, slugID: "5f0c", processTypes: ["web": "./server"], commit: "1a2b3c4d5e", actor: "admin")
            }
            #expect(try await sandbox.paas("config:set", "FOO=bar", "-a", "rel").status == 0)

            let explicit = try await sandbox.paas("rollback", "v2", "-a", "rel")
            #expect(explicit.status == 0, "\(explicit.stderr)")
            #expect(explicit.stderr == "Rolling back rel to v2... done, v4\n")
            let previous = try await sandbox.paas("rollback", "-a", "rel", "--json")
            #expect(previous.status == 0, "\(previous.stderr)")
            #expect(previous.stderr.hasPrefix("Rolling back rel... done, v5 (Rollback to v"))
            #expect(try previous.decoded(ReleaseResource.self).version == 5)

            let releases = try await sandbox.platform.client.releases(app: "rel")
            let v4 = try #require(releases.first { $0.version == 4 })
            #expect(v4.description == "Rollback to v2")
            #expect(v4.slugID == "5f0c")
            #expect(v4.config == [:])
            let table = try await sandbox.paas("releases", "-a", "rel")
            #expect(table.stdout.contains("Deploy 1a2b3c4"))
        }
    }
}
