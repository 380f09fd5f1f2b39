import Foundation
import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct AppsCommandTests {
    @Test func createWithANamePrintsItsURLs() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps:create", "shop")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr == "Creating shop... done\n")
            let app = try await sandbox.platform.client.app("shop")
            #expect(result.stdout == "\(app.webURL) | \(app.gitURL)\n")
            #expect(app.gitURL.hasSuffix("/shop.git"))
        }
    }

    @Test func createWithoutANamePicksARandomOne() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps:create", "--json")
            #expect(result.status == 0, "\(result.stderr)")
            let app = try result.decoded(AppResource.self)
            #expect(app.name.wholeMatch(of: /[a-z]+-[a-z]+-[0-9]{4}/) != nil)
            #expect(result.stderr == "Creating app... done, \(app.name)\n")
            #expect(try await sandbox.platform.client.apps().map(\.name) == [app.name])
        }
    }

    @Test func createInsideAGitRepositoryAddsThePaasRemoteThatLaterCommandsUse() async throws {
        try await CLISandbox.withRunning { sandbox in
            let repository = try await sandbox.makeGitRepository("site")
            let create = try await sandbox.paas("apps:create", "site", in: repository)
            #expect(create.status == 0, "\(create.stderr)")
            #expect(create.stderr == "Creating site... done\nGit remote paas added\n")
            let remote = try await sandbox.git(["remote", "get-url", "paas"], in: repository)
            #expect(remote.stdout == "\(try await sandbox.platform.client.app("site").gitURL)\n")

            // No -a: the app comes from the remote.
            let info = try await sandbox.paas("apps:info", in: repository)
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.lines.first == "=== site")

            // A second create in the same repository re-points the remote.
            let other = try await sandbox.paas("apps:create", "site-two", in: repository)
            #expect(other.stderr == "Creating site-two... done\nGit remote paas updated\n")
            let set = try await sandbox.paas("config:set", "WHERE=two", in: repository)
            #expect(set.status == 0, "\(set.stderr)")
            #expect(try await sandbox.platform.client.config(app: "site-two") == ["WHERE": "two"])
            #expect(try await sandbox.platform.client.config(app: "site") == [:])
        }
    }

    @Test func createOutsideAGitRepositoryAddsNoRemote() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps:create", "loose")
            #expect(result.status == 0)
            #expect(!result.stderr.contains("remote"))
        }
    }

    @Test func appsListsATableOrTheAPIObjects() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("alpha")
            try await sandbox.createApp("beta")
            let table = try await sandbox.paas("apps")
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.lines.count == 3)
            #expect(table.lines[0].wholeMatch(of: /NAME {3}CURRENT RELEASE {2}CREATED/) != nil)
            #expect(table.lines[1].wholeMatch(of: /alpha {2}v1 {15}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
            #expect(table.lines[2].hasPrefix("beta   v1"))

            let json = try await sandbox.paas("apps", "--json")
            #expect(json.status == 0)
            let apps = try json.decoded([AppResource].self)
            #expect(apps == (try await sandbox.platform.client.apps()))
            #expect(json.stdout.contains("\"current_release\" : 1"))
            #expect(json.stdout.contains("\"git_url\" : \"http://"))
        }
    }

    @Test func anEmptyListSaysHowToCreateAnApp() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps")
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "You have no apps. Create one with 'paas apps:create [NAME]'.\n")
            #expect(try await sandbox.paas("apps", "--json").decoded([AppResource].self).isEmpty)
        }
    }

    @Test func infoShowsURLsReleaseFormationAndDomains() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("info-app")
            _ = try await sandbox.platform.client.addDomain(app: "info-app", hostname: "www.example.com")
            _ = try await sandbox.platform.client.scale(app: "info-app", ["web": 2])
            let app = try await sandbox.platform.client.app("info-app")
            let result = try await sandbox.paas("apps:info", "-a", "info-app")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Array(result.lines.prefix(7)) == [
                "=== info-app",
                "Web URL:      \(app.webURL)",
                "Git URL:      \(app.gitURL)",
                "Release:      v1",
                "Stack:        bookworm",
                "Formation:    web=2",
                "Domains:      www.example.com",
            ])
            #expect(result.lines.last?.hasPrefix("Created:      ") == true)

            let json = try await sandbox.paas("apps:info", "--app", "info-app", "--json")
            #expect(try json.decoded(AppResource.self) == app)
        }
    }

    @Test func theAppCanComeFromPaasApp() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("from-env")
            let result = try await sandbox.paas("apps:info", environment: ["PAAS_APP": "from-env"])
            #expect(result.lines.first == "=== from-env")
            // -a beats PAAS_APP.
            let flag = try await sandbox.paas("apps:info", "-a", "nope-app", environment: ["PAAS_APP": "from-env"])
            #expect(flag.status == 1)
            #expect(flag.stderr == "error: No app named 'nope-app'. Run 'paas apps' to list yours.\n")
        }
    }

    @Test func withoutAnAppAppCommandsSayHowToNameOne() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("config")
            #expect(result.status == 1)
            #expect(
                result.stderr == "error: No app given. Pass -a APP, set PAAS_APP, or run inside a git repo with a 'paas' remote.\n")
        }
    }

    @Test func anUnknownAppFailsWithTheServersMessage() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps:info", "-a", "no-such-app")
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "error: No app named 'no-such-app'. Run 'paas apps' to list yours.\n")
        }
    }

    @Test func anInvalidNameFailsWithTheServersMessage() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps:create", "Bad_Name")
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("Creating Bad_Name... failed\nerror: 'Bad_Name' is not a valid app name."))
        }
    }

    @Test func destroyNeedsTheRightConfirmation() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("keep-me")
            let missing = try await sandbox.paas("apps:destroy", "-a", "keep-me")
            #expect(missing.status == 2)
            #expect(missing.stderr.hasPrefix("error: This is destructive: re-run with --confirm keep-me\n"))
            let wrong = try await sandbox.paas("apps:destroy", "-a", "keep-me", "--confirm", "other-app")
            #expect(wrong.status == 2)
            #expect(wrong.stderr.hasPrefix("error: This is destructive: re-run with --confirm keep-me\n"))
            #expect(try await sandbox.platform.client.app("keep-me").name == "keep-me")
        }
    }

    @Test func destroyWithConfirmationRemovesTheAppAndItsRemote() async throws {
        try await CLISandbox.withRunning { sandbox in
            let repository = try await sandbox.makeGitRepository("doomed")
            #expect(try await sandbox.paas("apps:create", "doomed", in: repository).status == 0)
            let result = try await sandbox.paas("apps:destroy", "--confirm", "doomed", in: repository)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr == "Destroying doomed... done\nGit remote paas removed\n")
            #expect(try await sandbox.platform.client.apps().isEmpty)
            #expect(try await sandbox.git(["remote"], in: repository).stdout.isEmpty)

            // Confirming a name alone is enough when nothing else names the app.
            try await sandbox.createApp("by-confirm")
            let alone = try await sandbox.paas("apps:destroy", "--confirm", "by-confirm")
            #expect(alone.status == 0, "\(alone.stderr)")
            #expect(try await sandbox.platform.client.apps().isEmpty)
        }
    }
}
