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

    /// A stopping platform ends the log streams it serves (`paas logs -t`), which would hold
    /// its graceful stop forever otherwise: the stream outlives the platform and ends cleanly.
    @Test(.timeLimit(.minutes(3))) func aStoppingPlatformEndsTheLogStreamsItServes() async throws {
        let stream = try await TestPlatform.withRunning(runs: true) { platform in
            _ = try await platform.client.createApp(name: "quiet")
            return try await platform.client.followLogs(app: "quiet", lines: 5)
        }
        var lines: [String] = []
        for try await event in stream { lines.append(event.data) }
        #expect(lines == [], "a new app's log has no lines")
    }

    /// A destroyed app's log goes with it: a new app of the same name starts with an empty one.
    @Test func logsDoNotOutliveTheirApp() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            var logs: [String] = []
            for _ in 0..<100 where !logs.contains(where: { $0.hasSuffix(" app[web.1]: listening on 5000") }) {
                logs = try await sandbox.client.logs(app: "demo", lines: 1000)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(logs.contains { $0.hasSuffix(" app[web.1]: listening on 5000") }, "\(logs)")
            try await sandbox.client.destroyApp("demo")
            _ = try await sandbox.client.createApp(name: "demo")
            let inherited = try await sandbox.client.logs(app: "demo", lines: 1000)
            #expect(inherited == [], "the new demo read the old one's log: \(inherited.suffix(5))")
        }
    }

    /// A process that prints to stdout, then a Python traceback of 40-odd lines to stderr in
    /// one write, then stdout again. Before its traceback it prints the traceback's text as JSON
    /// on stdout, so that the test knows the exact lines to expect.
    static let crashingScript = """
        import json, sys, traceback

        def even(n):
            return odd(n - 1)

        def odd(n):
            if n == 0:
                raise ValueError("bottom of the recursion")
            return even(n - 1)

        print("before 1", flush=True)
        print("before 2", flush=True)
        try:
            even(21)
        except ValueError:
            text = traceback.format_exc()
        print("traceback " + json.dumps(text), flush=True)
        sys.stderr.write(text)
        sys.stderr.flush()
        print("after 1", flush=True)
        print("after 2", flush=True)

        """

    @Test func aProcessLinesComeBackInTheOrderItWroteThemThroughClientCLIAndFollow() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            var files = DeployTests.webApp(version: "one")
            files["crash.py"] = Self.crashingScript
            #expect(try await sandbox.push(try await sandbox.workTree(files: files)).status == 0)
            let process = try await sandbox.client.runDetached(app: "demo", RunRequest(command: ["python3", "crash.py"]))
            let dyno = "run.\(process.index)"
            try await DetachedRunTests.waitForLog(sandbox, suffix: "paas[\(dyno)]: Process exited with status 0")

            let all = try await sandbox.client.logs(app: "demo", lines: 1000)
            let texts = all.compactMap { LogEntry(line: $0[...]) }.filter { $0.process == dyno && $0.source == "app" }.map(\.text)
            let json = try #require(texts.first { $0.hasPrefix("traceback ") }, "\(texts)")
            let traceback = try JSONDecoder().decode(String.self, from: Data(json.dropFirst("traceback ".count).utf8))
            let tracebackLines = traceback.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(tracebackLines.count >= 40, "\(tracebackLines)")
            let expected = ["before 1", "before 2", json] + tracebackLines + ["after 1", "after 2"]
            #expect(texts == expected)

            // The CLI, with -n, -p and --json.
            let environment = ["PAAS_API_URL": sandbox.platform.apiURL, "PAAS_TOKEN": sandbox.platform.adminToken, "HOME": sandbox.root]
            let paas = TestBinaries.path("paas")
            let count = expected.count + 1  // and the line saying the process exited
            let text = try await runProgram(paas, ["logs", "-a", "demo", "-n", "\(count + 3)", "-p", dyno], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            let printed = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(printed.allSatisfy { $0.contains(" app[\(dyno)]: ") || $0.contains(" paas[\(dyno)]: ") }, "\(printed)")
            #expect(printed.compactMap { LogEntry(line: $0) }.filter { $0.source == "app" }.map(\.text) == expected)
            let web = try await runProgram(paas, ["logs", "-a", "demo", "-p", "web"], environment: environment)
            #expect(web.stdout.contains(" app[web.1]: listening on 5000"))
            #expect(!web.stdout.contains(dyno), "\(web.stdout)")

            let asJSON = try await runProgram(paas, ["logs", "-a", "demo", "-n", "1000", "-p", dyno, "--json"], environment: environment)
            #expect(asJSON.status == 0, "\(asJSON.stderr)")
            let objects = try asJSON.stdout.split(separator: "\n").map { try JSONDecoder().decode(LogEntry.self, from: Data($0.utf8)) }
            #expect(objects.filter { $0.source == "app" }.map(\.text) == expected)
            #expect(objects.allSatisfy { $0.process == dyno && LogEntry.timeKey($0.time[...]) != nil })

            // Following gives the same order.
            var iterator = try await sandbox.client.followLogs(app: "demo", lines: 1000).makeAsyncIterator()
            var followed: [String] = []
            while let line = try await iterator.next()?.data {
                guard let entry = LogEntry(line: line[...]), entry.process == dyno else { continue }
                if entry.source == "paas", entry.text.hasPrefix("Process exited") { break }
                if entry.source == "app" { followed.append(entry.text) }
            }
            #expect(followed == expected)
        }
    }
}
