// `paas run --detach` on real containers: the one-off runs in the background, is listed with the
// app's processes while it runs, writes to the app's log, survives a deploy and can be stopped.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct DetachedRunTests {
    @Test func aDetachedRunGoesOnInTheBackgroundAndLogsItsOutput() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let process = try await sandbox.client.runDetached(
                app: "demo", RunRequest(command: ["echo started $EXTRA; sleep 600"], env: ["EXTRA": "x"]))
            #expect(process.type == "run")
            #expect(try await sandbox.client.processes(app: "demo").contains { $0.id == process.id })
            let dyno = "run.\(process.index)"
            try await Self.waitForLog(sandbox, suffix: "app[\(dyno)]: started x")

            // A config change replaces web processes but leaves the one-off alone.
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "hi"])
            #expect(try await sandbox.client.processes(app: "demo").contains { $0.id == process.id })

            // Destroying the app stops it too.
            try await sandbox.client.destroyApp("demo")
            let containers = try await runProgram("/usr/sbin/runc", ["list", "--format", "json"])
            #expect(!containers.stdout.contains(sandbox.platform.dataDirectory), "\(containers.stdout)")
        }
    }

    @Test func aDetachedRunThatEndsLeavesTheListAndSaysHowItEnded() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let process = try await sandbox.client.runDetached(app: "demo", RunRequest(command: ["echo done; exit 4"]))
            try await Self.waitForLog(sandbox, suffix: "paas[run.\(process.index)]: Process exited with status 4")
            #expect(try await sandbox.client.processes(app: "demo").map(\.id) == ["demo.v2.web.1"])
        }
    }

    /// Waits until the app's log has a line ending in `suffix`; throws, with the log, if none comes.
    static func waitForLog(_ sandbox: PushSandbox, suffix: String) async throws {
        var logs: [String] = []
        try await eventually("a log line ending in '\(suffix)'", state: { logs.suffix(10).joined(separator: "\n") }) {
            logs = try await sandbox.client.logs(app: "demo")
            return logs.contains(where: { $0.hasSuffix(suffix) }) ? () : nil
        }
    }
}
