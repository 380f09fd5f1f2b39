import Foundation
import Hummingbird
import Logging
import PaasAPI
import PaasClient
import PaasRunner
import PaasTesting
import Synchronization
import Testing

/// Processes that print a line, then run until stopped (or end at once, when asked to crash).
struct EchoLauncherFactory: ProcessLauncherFactory {
    func launcher(for request: ProcessStartRequest, output: @escaping @Sendable (String) -> Void) async throws -> any ProcessLauncher {
        EchoLauncher(crash: request.env["CRASH"] == "1", output: output, greeting: "listening on \(request.env["PORT"] ?? "?")")
    }
}

struct EchoLauncher: ProcessLauncher {
    let crash: Bool
    let output: @Sendable (String) -> Void
    let greeting: String

    func launch() async throws -> any RunningProcess {
        output(greeting)
        return ScriptedProcess(exit: crash ? .exited(status: 3) : nil, launcher: ScriptedLauncher(exits: []))
    }
}

/// A runner API on a free port with the echo launcher.
struct RunnerServer {
    static let token = "host-token-0123456789"
    let client: RunnerClient
    let baseURL: String

    static func withRunning(_ body: (RunnerServer) async throws -> Void) async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-runner-api")
        defer { TemporaryDirectory.remove(directory) }
        let runner = Runner(
            factory: EchoLauncherFactory(), logs: try LogStore(directory: directory),
            backoff: RestartBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(20), resetAfter: .seconds(60)))
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "runner-api-test")
        logger.logLevel = .critical
        let application = Application(
            router: RunnerAPI(runner: runner, token: token).makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in readyContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withServing(application, logger: logger) {
            var iterator = ready.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let baseURL = "http://127.0.0.1:\(port)"
            try await body(RunnerServer(client: RunnerClient(baseURL: baseURL, token: token), baseURL: baseURL))
            for process in try await RunnerClient(baseURL: baseURL, token: token).processes() {
                try await RunnerClient(baseURL: baseURL, token: token).stop(id: process.id, graceSeconds: 1)
            }
        }
    }

    static func request(app: String = "shop", release: Int = 3, type: String = "web", index: Int = 1, env: [String: String] = [:]) -> ProcessStartRequest {
        ProcessStartRequest(
            app: app, release: release, slugID: String(repeating: "ab", count: 32), type: type, index: index,
            processTypes: ["web": "python3 app.py"], env: ["PORT": "5000"].merging(env) { _, new in new })
    }
}

@Suite(.tags(.medium))
struct RunnerAPITests {
    @Test func startListAndStopProcessesWithTheirLogs() async throws {
        try await RunnerServer.withRunning { server in
            let started = try await server.client.start(RunnerServer.request())
            #expect(started.id == "shop.v3.web.1")
            #expect(try await server.client.start(RunnerServer.request()).id == started.id, "starting again is idempotent")
            _ = try await server.client.start(RunnerServer.request(type: "worker"))
            let processes = try await eventually("both processes up") {
                let processes = try await server.client.processes()
                return processes.count == 2 && processes.allSatisfy({ $0.state == "up" }) ? processes : nil
            }
            #expect(processes.map(\.id) == ["shop.v3.web.1", "shop.v3.worker.1"])
            #expect(processes.map(\.state) == ["up", "up"])
            try await server.client.stop(id: "shop.v3.web.1", graceSeconds: 1)
            #expect(try await server.client.processes().map(\.id) == ["shop.v3.worker.1"])
            let logs = try await server.client.logs(app: "shop")
            #expect(logs.contains { $0.hasSuffix(" app[web.1]: listening on 5000") }, "\(logs)")
            #expect(logs.contains { $0.hasSuffix(" paas[web.1]: Started (v3)") }, "\(logs)")
            #expect(logs.last { $0.contains("[web.1]") }?.hasSuffix(" paas[web.1]: Stopped") == true, "\(logs)")
        }
    }

    @Test func crashedProcessesAreRestartedAndTheirExitShown() async throws {
        try await RunnerServer.withRunning { server in
            _ = try await server.client.start(RunnerServer.request(env: ["CRASH": "1"]))
            let process = try await eventually("two restarts", interval: .milliseconds(20)) {
                try await server.client.processes().first.flatMap { $0.restarts >= 2 ? $0 : nil }
            }
            #expect(process.lastExit == "exited with status 3")
            let logs = try await server.client.logs(app: "shop")
            #expect(logs.contains { $0.hasSuffix(" paas[web.1]: Process exited with status 3; restarting in 20 ms") }, "\(logs)")
        }
    }

    @Test func badRequestsAndTokensGetTheErrorEnvelope() async throws {
        try await RunnerServer.withRunning { server in
            await #expect { try await server.client.stop(id: "shop.v9.web.1") } throws: { error in
                guard case ClientError.api(let status, let body) = error else { return false }
                return status == 404 && body.code == "process_not_found"
            }
            await #expect { _ = try await server.client.start(RunnerServer.request(app: "Bad_Name")) } throws: { error in
                guard case ClientError.api(let status, let body) = error else { return false }
                return status == 422 && body.code == "invalid_app_name"
            }
            let anonymous = RunnerClient(baseURL: server.baseURL, token: "wrong")
            await #expect { _ = try await anonymous.processes() } throws: { error in
                guard case ClientError.api(let status, let body) = error else { return false }
                return status == 401 && body.code == "invalid_token"
            }
        }
    }
}
