#if canImport(Glibc)
import Glibc
#endif
import Logging

/// A server the platform runs itself (MariaDB, PostgreSQL, one Redis instance): started in the
/// foreground as a child, watched, restarted with a backoff when it dies, stopped cleanly.
public actor ManagedServer {
    /// The server's name in logs and health reports.
    public nonisolated let name: String
    private let launch: ServerLaunch
    private let isReady: @Sendable () async -> Bool
    private let prepare: @Sendable () async throws -> Void
    private let readyTimeout: Duration
    private let logger: Logger
    private var backoff = ServerBackoff()
    private var current: ServerRun?
    private var state = ServerHealth.State.stopped
    private var restarts = 0
    private var lastExit: String?
    private var startup: Task<Void, any Error>?
    private var watcher: Task<Void, Never>?
    private var stopping = false

    /// A server run as `launch` describes, ready once `isReady` answers true. `prepare` runs
    /// before each `start()` (not before restarts), one caller at a time: the place for
    /// idempotent one-time work such as initializing a data directory.
    public init(
        name: String, launch: ServerLaunch, readyTimeout: Duration = .seconds(60), backoff: ServerBackoff = ServerBackoff(),
        logger: Logger, prepare: @escaping @Sendable () async throws -> Void = {},
        isReady: @escaping @Sendable () async -> Bool
    ) {
        self.prepare = prepare
        self.name = name
        self.launch = launch
        self.readyTimeout = readyTimeout
        self.backoff = backoff
        self.logger = logger
        self.isReady = isReady
    }

    /// Starts the server and waits until it is ready; returns at once when it already runs
    /// (or is being restarted: use `waitUntilRunning`).
    public func start() async throws {
        if let startup { return try await startup.value }
        guard watcher == nil else { return }
        let task = Task { try await self.startWatching() }
        startup = task
        defer { startup = nil }
        try await task.value
    }

    /// Waits until the server accepts connections (after a restart, say).
    public func waitUntilRunning(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while state != .running {
            guard state != .stopped, ContinuousClock.now < deadline else {
                throw ServerFailure(reason: "\(name) is \(state.rawValue)\(lastExit.map { "; it last \($0)" } ?? "")")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the server cleanly (its stop signal, SIGKILL after the timeout) and stops watching it.
    public func stop() async {
        stopping = true
        watcher?.cancel()
        if let startup { _ = try? await startup.value }
        if let run = current { await run.terminate(launch) }
        if let watcher { await watcher.value }
        current = nil
        watcher = nil
        state = .stopped
        stopping = false
    }

    /// Forgets the running server without stopping it, as a paasd killed with SIGKILL would.
    func abandon() {
        stopping = true
        current = nil
        state = .stopped
    }

    /// The server's state.
    public func health() -> ServerHealth {
        ServerHealth(name: name, state: state, processID: current?.processID, restarts: restarts, lastExit: lastExit)
    }

    private func startWatching() async throws {
        state = .starting
        do {
            try await prepare()
            let run = try await startRun()
            current = run
            state = .running
            watcher = Task { await self.watch(run) }
        } catch {
            state = .stopped
            throw error
        }
    }

    /// Spawns one run and waits until it is ready; kills it when it is not.
    private func startRun() async throws -> ServerRun {
        await StaleServer.stop(launch, logger: logger)
        let run = try await ServerRun.spawn(launch)
        let deadline = ContinuousClock.now + readyTimeout
        while !(await isReady()) {
            if run.hasExited || stopping || ContinuousClock.now >= deadline {
                let ending =
                    run.hasExited
                    ? await run.waitForExit() + lastLogLine : stopping ? "stopped while starting" : "not ready in \(readyTimeout)"
                await run.terminate(launch)
                throw ServerFailure(reason: "\(name) did not start: \(ending)")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        logger.info("add-on server running", metadata: ["server": "\(name)", "pid": "\(run.processID)"])
        return run
    }

    /// `; its log ends: <line>` from the server's log file, or nothing.
    private var lastLogLine: String {
        guard let file = launch.logFile, let text = LocalFiles.read(file),
            let line = text.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) })
        else { return "" }
        return "; its log ends: \(line.prefix(300))"
    }

    /// Restarts the server each time it dies, until `stop()`.
    private func watch(_ first: ServerRun) async {
        var run: ServerRun? = first
        while true {
            var uptime = Duration.zero
            if let run {
                let ending = await run.waitForExit()
                if stopping { return }
                uptime = ContinuousClock.now - run.startedAt
                lastExit = ending
            }
            current = nil
            state = .restarting
            let delay = backoff.died(after: uptime)
            logger.error(
                "add-on server died; restarting",
                metadata: ["server": "\(name)", "exit": "\(lastExit ?? "")", "delay": "\(delay)"])
            try? await Task.sleep(for: delay)
            if stopping { return }
            do {
                let next = try await startRun()
                if stopping {
                    await next.terminate(launch)
                    return
                }
                run = next
                current = next
                restarts += 1
                state = .running
            } catch {
                run = nil
                lastExit = "\(error)"
            }
        }
    }
}
