#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaasAPI
import PaasClient
import PaasRunner
import PaasTesting
import Testing

/// A second host: `paasd runner` as its own process (its own bridge and subnet) registers with
/// the controller with the join token; processes spread over both hosts; after a `kill -9` of that runner and a
/// restart, the controller brings back exactly what should run there.
@Suite(.tags(.large)) struct MultiHostTests {
    @Test func processesSpreadOverHostsAndAKilledRunnerConvergesBackWithoutDuplicates() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let directory = try TemporaryDirectory.make(prefix: "paasd-second-host")
            defer { TemporaryDirectory.remove(directory) }
            let network = try TestNetworks.unique()
            let arguments = [
                "--run-stack", try TestStacks.runStack(), "--slug-runner", TestBinaries.packageRoot + "/slug-runner/slug-runner",
                "--bridge", network.bridgeName, "--subnet", "\(network.subnet)", "--runner-listen", "127.0.0.1:\(try FreePort.find())",
                "--tear-down-network",
            ]
            // The controller's join token: it registers hosts and fetches slugs, nothing else.
            let joinToken = try #require(TestFiles.read(sandbox.platform.dataDirectory + "/join-token")).trimmingCharacters(in: .whitespacesAndNewlines)
            func startRunner() async throws -> PaasdProcess {
                try await PaasdProcess.startRunner(
                    dataDirectory: directory, name: "second", controller: sandbox.client, token: joinToken, arguments: arguments)
            }
            // Whatever happens, the second runner and its network do not outlive the test.
            var running: PaasdProcess? = try await startRunner()
            do {
                #expect(try await sandbox.client.hosts().count == 2)
                _ = try await sandbox.client.scale(app: "demo", ["web": 4])
                let spread = try await Self.upProcesses(sandbox, count: 4)
                let onSecond = spread.filter { Self.isOn(network, $0) }
                #expect(onSecond.count == 2, "two of four on the second host: \(spread.map { "\($0.id) \($0.ip ?? "-")" })")
                for process in spread { #expect(try await sandbox.answer(of: process).hasPrefix("web.\(process.index) v2")) }

                await running?.kill9()
                running = nil
                running = try await startRunner()
                let back = try await Self.upProcesses(sandbox, count: 4)
                #expect(back.map(\.id) == (1...4).map { "demo.v2.web.\($0)" }, "each process once")
                #expect(back.filter { Self.isOn(network, $0) }.count == 2, "the second host runs its two again")
                // The controller converges the returning host in the background: wait for each to listen.
                for process in back {
                    var answer = ""
                    try await eventually("\(process.id) answers as v2", state: { answer }) {
                        answer = try await sandbox.answer(of: process)
                        return answer.hasPrefix("web.\(process.index) v2") ? () : nil
                    }
                }
            } catch {
                Issue.record("\(error)")
            }
            if let running { #expect(try await running.stop() == 0) }
        }
    }

    static func isOn(_ network: NetworkConfiguration, _ process: ProcessResource) -> Bool {
        process.ip.flatMap(IPv4Address.init).map(network.subnet.contains) ?? false
    }

    /// demo's processes once `count` of them are up with an address.
    static func upProcesses(_ sandbox: PushSandbox, count: Int) async throws -> [ProcessResource] {
        var processes: [ProcessResource] = []
        return try await eventually(
            "\(count) processes up", state: { processes.map { "\($0.id) \($0.state)" }.joined(separator: ", ") }
        ) {
            processes = try await sandbox.client.processes(app: "demo")
            return processes.count == count && processes.allSatisfy({ $0.state == "up" && $0.ip != nil }) ? processes : nil
        }
    }
}
