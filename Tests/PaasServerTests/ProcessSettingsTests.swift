// ps:stop / ps:start and ps:resize on real containers.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct ProcessSettingsTests {
    @Test func stoppingAnAppStopsEveryProcessUntilItIsStartedAgain() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            _ = try await sandbox.client.scale(app: "demo", ["web": 2])
            #expect(try await sandbox.processes().count == 2)

            let stopped = try await sandbox.client.updateApp("demo", AppUpdateRequest(stopped: true))
            #expect(stopped.settings.stopped)
            #expect(try await sandbox.processes().isEmpty)
            // A restart or a config change while stopped starts nothing.
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "hi"])
            #expect(try await sandbox.processes().isEmpty)

            _ = try await sandbox.client.updateApp("demo", AppUpdateRequest(stopped: false))
            let processes = try await sandbox.processes()
            #expect(processes.map(\.id) == ["demo.v3.web.1", "demo.v3.web.2"])
            #expect(try await sandbox.answer(of: processes[0]) == "web.1 v3 10000 hi one")
        }
    }

    @Test func resizingAProcessTypeRestartsItWithTheNewMemoryLimit() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let before = try #require(try await sandbox.processes().first)
            #expect(before.memoryMiB == 512)
            #expect(try await Self.cgroupMemoryLimits(of: before).contains(512 << 20))

            let formation = try await sandbox.client.resize(app: "demo", type: "web", memoryMiB: 200)
            #expect(formation.first { $0.type == "web" }?.memoryMiB == 200)
            let after = try #require(try await sandbox.processes().first)
            #expect(after.memoryMiB == 200)
            #expect(try await Self.cgroupMemoryLimits(of: after).contains(200 << 20), "the kernel enforces the new limit")
            #expect(try await sandbox.answer(of: after) == "web.1 v2 10000 - one")
        }
    }

    /// The memory limits the kernel applies to the process's containers (cgroup v1). The old
    /// container's cgroup may linger for a moment, and other tests' apps are called demo too.
    static func cgroupMemoryLimits(of process: ProcessResource) async throws -> [Int] {
        let root = "/sys/fs/cgroup/memory/paas/\(process.app)"
        let directories = try FileManager.default.contentsOfDirectory(atPath: root)
            .filter { $0.hasPrefix("\(process.type).\(process.index).") }
        try #require(!directories.isEmpty, "no cgroup for \(process.id)")
        return try directories.compactMap { directory in
            let text = try String(contentsOfFile: "\(root)/\(directory)/memory.limit_in_bytes", encoding: .utf8)
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
