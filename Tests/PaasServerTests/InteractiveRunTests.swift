// Interactive one-off processes (`paas run -- bash`) on real parts: the client's frames through
// the controller to the runner, a runc container with a terminal, and the `paas` binary itself
// on a pseudo-terminal.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct InteractiveRunTests {
    static let session = "tty; stty size; echo cols=$COLUMNS lines=$LINES; id -u; echo $((6*7)); exit 3\n"

    @Test func aShellGetsATerminalOfTheClientsSizeAndItsStatusEndsTheRun() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let (input, sending) = AsyncStream<RunFrame>.makeStream()
            defer { sending.finish() }
            let frames = try await sandbox.client.runInteractive(
                app: "demo", InteractiveRunRequest(command: ["bash"], terminal: TerminalSize(rows: 40, columns: 120)), input: input)
            sending.yield(.input(Array(Self.session.utf8)))
            let (text, exit) = try await Self.collect(frames)
            #expect(text.contains("/dev/pts/"), "\(text)")
            #expect(text.contains("40 120\r\n"), "\(text)")
            #expect(text.contains("cols=120 lines=40\r\n"), "\(text)")
            #expect(text.contains("10000\r\n"), "runs as the app user: \(text)")
            #expect(text.contains("42\r\n"), "\(text)")
            #expect(exit == RunExit(status: 3, reason: "exited with status 3"))
            #expect(try await Self.containers(of: sandbox).isEmpty)
        }
    }

    @Test func pipedInputReachesAProcessWithoutATerminal() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let (input, sending) = AsyncStream<RunFrame>.makeStream()
            defer { sending.finish() }
            let frames = try await sandbox.client.runInteractive(
                app: "demo", InteractiveRunRequest(command: ["test -t 0 || echo no-tty; tr a-z A-Z; exit 4"]), input: input)
            sending.yield(.input(Array("hello\n".utf8)))
            sending.yield(.endOfInput)
            let (text, exit) = try await Self.collect(frames)
            #expect(text == "no-tty\nHELLO\n")
            #expect(exit?.status == 4)
        }
    }

    @Test func leavingMidRunStopsTheProcessAndRemovesItsContainer() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            let (input, sending) = AsyncStream<RunFrame>.makeStream()
            let frames = try await sandbox.client.runInteractive(
                app: "demo", InteractiveRunRequest(command: ["sh"], terminal: TerminalSize(rows: 24, columns: 80)), input: input)
            sending.yield(.input(Array("echo re''ady; sleep 300\n".utf8)))
            var text = ""
            for try await frame in frames {
                guard case .output(let bytes) = frame else { continue }
                text += String(decoding: bytes, as: UTF8.self)
                if text.contains("ready\r\n") { break }
            }
            #expect(text.contains("ready\r\n"), "the shell ran the command: \(text)")
            // The signal that the run's container is there: runc lists it (poll for it, it may lag).
            var listed = try await Self.containers(of: sandbox)
            for _ in 0..<600 where listed.count != 1 {
                try await Task.sleep(for: .milliseconds(100))
                listed = try await Self.containers(of: sandbox)
            }
            #expect(listed.count == 1, "the run's container is there while it runs: \(listed)")
            // The client goes: its request ends, the controller's to the runner too.
            sending.finish()
            withExtendedLifetime(frames) {}
            var left = try await Self.containers(of: sandbox)
            for _ in 0..<100 where !left.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                left = try await Self.containers(of: sandbox)
            }
            #expect(left.isEmpty, "\(left)")
            #expect(try await sandbox.processes().map(\.id) == ["demo.v2.web.1"], "the run left no process behind")
        }
    }

    @Test func thePaasCommandOnATerminalIsInteractiveAndExitsWithTheStatus() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            // `script` gives `paas` a terminal (40 × 120) whose input is what the test pipes in.
            let paas = TestBinaries.path("paas")
            let result = try await runProgram(
                "/usr/bin/script", ["-qfec", "stty rows 40 cols 120; exec \(paas) run -a demo -- sh", "/dev/null"],
                environment: ["PAAS_API_URL": sandbox.platform.apiURL, "PAAS_TOKEN": sandbox.platform.adminToken, "HOME": sandbox.root],
                stdin: Self.session)
            #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("/dev/pts/"), "\(result.stdout)")
            #expect(result.stdout.contains("40 120\r\n"), "\(result.stdout)")
            #expect(result.stdout.contains("42\r\n"), "\(result.stdout)")
            #expect(try await Self.containers(of: sandbox).isEmpty)
        }
    }

    /// The output as text and the exit, once the run has ended.
    static func collect(_ frames: AsyncThrowingStream<RunFrame, any Error>) async throws -> (String, RunExit?) {
        var output: [UInt8] = []
        var exit: RunExit?
        for try await frame in frames {
            switch frame {
            case .output(let bytes): output += bytes
            case .exit(let payload): exit = try APICoding.makeDecoder().decode(RunExit.self, from: Data(payload))
            default: Issue.record("a client never gets \(frame)")
            }
        }
        return (String(decoding: output, as: UTF8.self), exit)
    }

    /// This platform's containers that runc knows (other tests' apps are called demo too).
    static func containers(of sandbox: PushSandbox) async throws -> [String] {
        // runc fails the whole listing when a container is deleted while it lists: ask again.
        var listed = try await runProgram("/usr/sbin/runc", ["list", "--format", "json"])
        for _ in 0..<50 where listed.status != 0 {
            try await Task.sleep(for: .milliseconds(50))
            listed = try await runProgram("/usr/sbin/runc", ["list", "--format", "json"])
        }
        try #require(listed.status == 0, "runc list failed: \(listed.stderr)")
        struct Listed: Decodable { var id: String; var bundle: String }
        let text = listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text != "null", !text.isEmpty else { return [] }
        return try JSONDecoder().decode([Listed].self, from: Data(text.utf8))
            .filter { $0.bundle.hasPrefix(sandbox.platform.dataDirectory + "/") && $0.id.contains(".run.") }.map(\.id)
    }
}
