import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct LogsTests {
    @Test func followingTheLogsShowsNewLinesAsTheyAreWritten() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let stream = try await sandbox.client.followLogs(app: "demo", lines: 5)
            var iterator = stream.makeAsyncIterator()
            var seen: [String] = []
            // The stream starts with recent lines; the config change writes new ones.
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "again"])
            while let line = try await iterator.next()?.data {
                seen.append(line)
                if line.hasSuffix(" paas[deploy]: v3 deployed") { break }
            }
            #expect(seen.contains { $0.hasSuffix(" app[web.1]: listening on 5000") }, "\(seen)")
            #expect(seen.contains { $0.hasSuffix(" paas[web.1]: Started (v3)") }, "\(seen)")
        }
    }
}
