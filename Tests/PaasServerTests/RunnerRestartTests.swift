#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaasAPI
import PaasClient
import PaasRunner
import PaasTesting
import Testing

/// `paasd up` killed with SIGKILL while its app runs, then started again: the processes come
/// back as they should be, once each.
@Suite(.tags(.large)) struct RunnerRestartTests {
    @Test func aKilledPaasdComesBackToTheDesiredStateWithoutDuplicates() async throws {
        let dataDirectory = try TemporaryDirectory.make(prefix: "paasd-runner")
        defer { TemporaryDirectory.remove(dataDirectory) }
        let network = try TestNetworks.unique()
        let port = try FreePort.find()
        let arguments = [
            "--build-stack", try TestStacks.buildStack(), "--buildpacks", TestBinaries.packageRoot + "/buildpacks",
            "--run-stack", try TestStacks.runStack(), "--slug-runner", TestBinaries.packageRoot + "/slug-runner/slug-runner",
            "--bridge", network.bridgeName, "--subnet", "\(network.subnet)", "--runner-listen", "127.0.0.1:\(try FreePort.find())",
        ]
        // Whatever happens, no paasd, container or bridge of this test outlives it.
        var running: PaasdProcess?
        do {
            let first = try await PaasdProcess.start(dataDirectory: dataDirectory, port: port, arguments: arguments)
            running = first
            let token = try readFile(dataDirectory + "/admin-token").trimmingWhitespace
            let client = ControllerClient(baseURL: "http://127.0.0.1:\(port)", token: token)
            _ = try await client.createApp(name: "survivor")
            let tree = try await GitWorkTree.create(
                at: dataDirectory + "/work/app", home: dataDirectory + "/work/home",
                copying: TestBinaries.packageRoot + "/buildpacks/test/fixtures/static-public")
            let push = try await tree.git(["push", "http://paas:\(token)@127.0.0.1:\(port)/survivor.git", "main"])
            try #require(push.status == 0, "\(push.stderr)")
            #expect(try await Self.upProcesses(client).map(\.id) == ["survivor.v2.web.1"])

            await first.kill9()
            running = nil
            #expect(try await Self.containers(of: dataDirectory).count == 1, "the container outlives its runner")

            let second = try await PaasdProcess.start(dataDirectory: dataDirectory, port: port, arguments: arguments)
            running = second
            let processes = try await Self.upProcesses(client)
            #expect(processes.map(\.id) == ["survivor.v2.web.1"])
            let address = try #require(processes.first?.ip)
            try #require(network.subnet.contains(try #require(IPv4Address(address))), "only the test's own subnet")
            // The restarted paasd converges in the background: wait until the web process answers.
            var answer = try await runProgram("/usr/bin/curl", ["--noproxy", "*", "-sS", "--max-time", "5", "http://\(address):5000/"])
            for _ in 0..<60 where answer.status != 0 {
                try await Task.sleep(for: .seconds(1))
                answer = try await runProgram("/usr/bin/curl", ["--noproxy", "*", "-sS", "--max-time", "5", "http://\(address):5000/"])
            }
            #expect(answer.status == 0, "\(answer.stderr)")
            let containers = try await Self.containers(of: dataDirectory)
            #expect(containers.count == 1, "the old container went, one new one runs: \(containers)")
            #expect(try await client.processes(app: "survivor").map(\.id) == ["survivor.v2.web.1"], "no duplicate")
            running = nil
            #expect(try await second.stop() == 0)
            #expect(try await Self.containers(of: dataDirectory).isEmpty, "a clean shutdown stops every process")
        } catch {
            if let running { _ = try? await running.stop() }
            for id in (try? await Self.containers(of: dataDirectory)) ?? [] {
                _ = try? await runProgram("/usr/sbin/runc", ["delete", "--force", id])
            }
            await Self.removeNetwork(network.bridgeName)
            throw error
        }
        await Self.removeNetwork(network.bridgeName)
    }

    /// The app's processes once one is up (or what there is after 30 s).
    static func upProcesses(_ client: ControllerClient) async throws -> [ProcessResource] {
        var processes: [ProcessResource] = []
        for _ in 0..<300 {
            processes = try await client.processes(app: "survivor")
            if !processes.isEmpty, processes.allSatisfy({ $0.state == "up" && $0.ip != nil }) { return processes }
            try await Task.sleep(for: .milliseconds(100))
        }
        return processes
    }

    /// Containers whose bundle lives in this data directory.
    static func containers(of dataDirectory: String) async throws -> [String] {
        let list = try await runProgram("/usr/sbin/runc", ["list", "--format", "json"])
        struct Listed: Decodable { var id: String; var bundle: String }
        let text = list.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text != "null" else { return [] }
        return try JSONDecoder().decode([Listed].self, from: Data(text.utf8)).filter { $0.bundle.hasPrefix(dataDirectory + "/") }.map(\.id)
    }

    /// paasd keeps its bridge and table when it stops (an installation does); the test removes them.
    static func removeNetwork(_ name: String) async {
        _ = try? await runProgram("/usr/sbin/ip", ["link", "delete", name])
        _ = try? await runProgram("/usr/sbin/nft", ["delete", "table", "ip", name])
    }
}
