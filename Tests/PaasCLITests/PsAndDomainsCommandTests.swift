import Foundation
import PaasAPI
import PaasController
import PaasCore
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct PsAndDomainsCommandTests {
    @Test func scaleBeforeAnyCodeIsAcceptedAndPrintsTheFormation() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("proc")
            let empty = try await sandbox.paas("ps:scale", "-a", "proc")
            #expect(empty.status == 0)
            #expect(empty.stdout.isEmpty)
            #expect(empty.stderr.hasPrefix("proc has no process types yet."))

            let scaled = try await sandbox.paas("ps:scale", "web=2", "-a", "proc")
            #expect(scaled.status == 0, "\(scaled.stderr)")
            #expect(scaled.stderr == "Scaling proc to web=2... done\n")
            #expect(scaled.lines == ["TYPE  QUANTITY  MEMORY   COMMAND", "web   2         default  -"])
            #expect(try await sandbox.platform.client.formation(app: "proc") == [FormationResource(type: "web", quantity: 2, command: nil)])

            let json = try await sandbox.paas("ps:scale", "-a", "proc", "--json")
            #expect(try json.decoded([FormationResource].self) == [FormationResource(type: "web", quantity: 2, command: nil)])
        }
    }

    @Test(arguments: ["web=x", "web", "web=-1", "=3"])
    func malformedScaleArgumentsAreUsageErrors(argument: String) async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("ps:scale", argument, "-a", "proc")
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: '\(argument)' is not TYPE=QUANTITY."))
        }
    }

    @Test func scaleChecksTypesAgainstTheRelease() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("proc")
            try await sandbox.platform.withStore { store in
                let app = try await store.requireApp(named: "proc")
                _ = try await store.recordSucceededDeploy(
                    app, slugID: "abc", processTypes: ["web": "./web", "worker": "./work"], commit: "abcdef0", actor: "admin")
            }
            let scaled = try await sandbox.paas("ps:scale", "worker=3", "-a", "proc")
            #expect(scaled.status == 0, "\(scaled.stderr)")
            #expect(scaled.lines == [
                "TYPE    QUANTITY  MEMORY   COMMAND", "web     1         default  ./web", "worker  3         default  ./work",
            ])

            let resized = try await sandbox.paas("ps:resize", "worker", "--memory", "1.5G", "-a", "proc")
            #expect(resized.status == 0, "\(resized.stderr)")
            #expect(resized.stderr == "Resizing worker of proc to 1536 MiB and restarting it... done\n")
            #expect(try await sandbox.paas("ps:scale", "-a", "proc").lines.last == "worker  3         1536M    ./work")
            let tooSmall = try await sandbox.paas("ps:resize", "web", "--memory", "1M", "-a", "proc")
            #expect(tooSmall.status == 1)
            #expect(tooSmall.stderr.contains("Memory limits go from 64 MiB to 64 GiB"), "\(tooSmall.stderr)")
            let notASize = try await sandbox.paas("ps:resize", "web", "--memory", "lots", "-a", "proc")
            #expect(notASize.status == 2)
            #expect(notASize.stderr.contains("'lots' is not a size."), "\(notASize.stderr)")

            let unknown = try await sandbox.paas("ps:scale", "clock=1", "-a", "proc")
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("error: This app has no process type 'clock'."))
        }
    }

    @Test func domainsAddListAndRemove() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("dom")
            let none = try await sandbox.paas("domains", "-a", "dom")
            #expect(none.status == 0)
            #expect(none.stdout.isEmpty)
            #expect(none.stderr == "dom has no custom domains. Add one with 'paas domains:add HOSTNAME'.\n")

            let add = try await sandbox.paas("domains:add", "WWW.Example.com", "-a", "dom")
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stderr == "Adding WWW.Example.com to dom... done\n")

            let list = try await sandbox.paas("domains", "-a", "dom")
            #expect(list.lines.count == 2)
            #expect(list.lines.first?.wholeMatch(of: /HOSTNAME {9}ADDED/) != nil)
            #expect(list.lines.last?.hasPrefix("www.example.com  ") == true)
            let json = try await sandbox.paas("domains", "-a", "dom", "--json")
            #expect(try json.decoded([DomainResource].self).map(\.hostname) == ["www.example.com"])

            let remove = try await sandbox.paas("domains:remove", "www.example.com", "-a", "dom")
            #expect(remove.status == 0, "\(remove.stderr)")
            #expect(remove.stderr == "Removing www.example.com from dom... done\n")
            #expect(try await sandbox.platform.client.domains(app: "dom").isEmpty)

            let again = try await sandbox.paas("domains:remove", "www.example.com", "-a", "dom")
            #expect(again.status == 1)
            #expect(again.stderr.contains("error: App 'dom' has no domain www.example.com."))
        }
    }

    @Test func anInvalidDomainFailsWithTheServersMessage() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("dom")
            let result = try await sandbox.paas("domains:add", "not a domain", "-a", "dom")
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("Adding not a domain to dom... failed\nerror: 'not a domain' is not a valid domain."))
        }
    }

    @Test func eventsListTheAuditTrail() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("audit")
            #expect(try await sandbox.paas("config:set", "FOO=bar", "-a", "audit").status == 0)
            let table = try await sandbox.paas("events", "-a", "audit")
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.lines.first?.wholeMatch(of: /WHEN +BY +ACTION +DESCRIPTION/) != nil)
            #expect(table.stdout.contains("config.set  Set FOO config var (v2)"))
            #expect(table.stdout.contains("app.create"))
            let json = try await sandbox.paas("events", "-a", "audit", "--json")
            #expect(Set(try json.decoded([EventResource].self).map(\.action)).isSuperset(of: ["app.create", "config.set"]))
        }
    }
}

@Suite(.tags(.medium)) struct PsSettingsCommandTests {
    @Test func psSetStopAndStartChangeTheAppsSettings() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("proc")
            let set = try await sandbox.paas("ps:set", "boot-timeout", "120", "-a", "proc")
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stderr == "Setting boot-timeout of proc to 120 s... done\n")
            #expect(try await sandbox.paas("ps:stop", "-a", "proc").status == 0)
            let info = try await sandbox.paas("apps:info", "-a", "proc")
            #expect(info.lines.contains { $0.hasPrefix("Boot timeout:") && $0.hasSuffix("120 s") }, "\(info.lines)")
            #expect(info.lines.contains { $0.hasPrefix("Processes:") && $0.hasSuffix("stopped (run 'paas ps:start')") }, "\(info.lines)")
            #expect(try await sandbox.paas("ps:start", "-a", "proc").status == 0)
            #expect(try await sandbox.platform.client.app("proc").settings == AppSettings(bootTimeoutSeconds: 120))

            let unknown = try await sandbox.paas("ps:set", "restart-delay", "5", "-a", "proc")
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("Unknown setting 'restart-delay'"), "\(unknown.stderr)")
            let outOfRange = try await sandbox.paas("ps:set", "stop-timeout", "0", "-a", "proc")
            #expect(outOfRange.status == 1)
            #expect(outOfRange.stderr.contains("The stop timeout goes from 1 to 3600 seconds"), "\(outOfRange.stderr)")
        }
    }
}
