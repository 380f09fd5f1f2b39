import Foundation
import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct ConfigCommandTests {
    @Test func setShowGetAndUnsetRoundTrip() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("conf")
            let set = try await sandbox.paas("config:set", "FOO=bar", "GREETING=hello = world  x", "-a", "conf")
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stderr == "Setting FOO, GREETING and restarting conf... done, v2\n")
            #expect(set.stdout == "FOO:      bar\nGREETING: hello = world  x\n")

            let list = try await sandbox.paas("config", "-a", "conf")
            #expect(list.stdout == "=== conf Config Vars\nFOO:      bar\nGREETING: hello = world  x\n")

            let get = try await sandbox.paas("config:get", "GREETING", "-a", "conf")
            #expect(get.status == 0)
            #expect(get.stdout == "hello = world  x\n")

            let json = try await sandbox.paas("config", "--json", "-a", "conf")
            #expect(try json.decoded([String: String].self) == ["FOO": "bar", "GREETING": "hello = world  x"])

            let shell = try await sandbox.paas("config", "--shell", "-a", "conf")
            #expect(shell.stdout == "FOO=bar\nGREETING='hello = world  x'\n")

            let unset = try await sandbox.paas("config:unset", "FOO", "-a", "conf")
            #expect(unset.status == 0, "\(unset.stderr)")
            #expect(unset.stderr == "Unsetting FOO and restarting conf... done, v3\n")
            #expect(try await sandbox.platform.client.config(app: "conf") == ["GREETING": "hello = world  x"])

            let gone = try await sandbox.paas("config:get", "FOO", "-a", "conf")
            #expect(gone.status == 1)
            #expect(gone.stdout.isEmpty)
            #expect(gone.stderr == "error: Config var FOO is not set on conf.\nRun 'paas config -a conf' to list them.\n")
        }
    }

    @Test func anEmptyValueAndAnOverwriteAreKept() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("conf")
            #expect(try await sandbox.paas("config:set", "A=1", "-a", "conf").status == 0)
            #expect(try await sandbox.paas("config:set", "A=2", "EMPTY=", "-a", "conf").status == 0)
            #expect(try await sandbox.platform.client.config(app: "conf") == ["A": "2", "EMPTY": ""])
        }
    }

    @Test(arguments: [["FOO"], ["=bar"], ["A=1", "B"], []])
    func malformedAssignmentsAreUsageErrors(arguments: [String]) async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("conf")
            let result = try await sandbox.run(["config:set"] + arguments + ["-a", "conf"])
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: "))
            #expect(result.stderr.contains("Usage: paas config:set"))
            #expect(try await sandbox.platform.client.releases(app: "conf").count == 1)
        }
    }

    @Test func unsetRefusesAssignments() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("config:unset", "FOO=bar", "-a", "conf")
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: 'FOO=bar' is not a config var name."))
        }
    }

    @Test func anInvalidNameFailsWithTheServersMessage() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("conf")
            let result = try await sandbox.paas("config:set", "1FOO=x", "-a", "conf")
            #expect(result.status == 1)
            #expect(result.stderr.contains("error: '1FOO' is not a valid config var name."))
        }
    }
}
