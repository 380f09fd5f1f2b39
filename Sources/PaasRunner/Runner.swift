#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI
import PaasCore
import PaasDiscovery

/// The processes of one host: each kept running by a `ProcessSupervisor`, its output and its
/// lifecycle written to the app's log. The runner holds no desired state of its own; the
/// controller tells it what to start and stop.
public actor Runner {
    private struct Entry {
        var request: ProcessStartRequest
        var supervisor: ProcessSupervisor
        var output: Task<Void, Never>
    }

    let factory: any ProcessLauncherFactory
    /// The apps' logs on this host.
    public let logs: LogStore
    private let backoff: RestartBackoff
    private var entries: [String: Entry] = [:]
    /// One-off processes started with `--detach`: their output goes to the app's log only.
    var detachedRuns: [String: DetachedRun] = [:]

    /// Yields whenever a process starts, ends or stops (for DNS discovery); only the newest
    /// change is kept for a slow reader, which then reads the whole state again.
    public nonisolated let changes: AsyncStream<Void>
    private let changed: AsyncStream<Void>.Continuation

    public init(factory: any ProcessLauncherFactory, logs: LogStore, backoff: RestartBackoff = RestartBackoff()) {
        self.factory = factory
        self.logs = logs
        self.backoff = backoff
        (changes, changed) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The names DNS discovery answers for this host: its processes that are up, with their
    /// address and `$PORT` (one-off and release-phase processes are not discoverable).
    public func discoveryEntries() async -> [DiscoveryEntry] {
        var found: [DiscoveryEntry] = []
        for entry in entries.values {
            let status = await entry.supervisor.current
            guard status.state == .up, let ip = status.address else { continue }
            let request = entry.request
            found.append(
                DiscoveryEntry(
                    app: request.app, type: request.type, index: request.index, ip: ip,
                    port: request.env["PORT"].flatMap(Int.init) ?? 5000))
        }
        return found
    }

    /// The network this host's processes run on (nil for launchers without one, in tests).
    /// Builds on this host get namespaces of their own on it too.
    public nonisolated var network: ContainerNetwork? { factory.containerNetwork }

    /// What DNS discovery may tell each of this host's processes (their own app's names and
    /// their links'), or nil when the processes are not told apart.
    public nonisolated var discoveryAudience: (any DiscoveryAudience)? { network?.audience }

    /// Starts the process `request` describes, or returns it when it runs already (starting is
    /// idempotent, so a controller can converge by repeating itself).
    public func start(_ request: ProcessStartRequest) async throws -> ProcessResource {
        try Self.validate(request)
        if let entry = entries[request.processID] { return await Self.resource(entry) }
        let logs = self.logs
        let app = request.app
        let dyno = request.dyno
        let (lines, continuation) = AsyncStream<LogLine>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        // One consumer per process keeps its lines in order.
        let output = Task {
            for await line in lines { try? await logs.append(line, app: app) }
        }
        let launcher: any ProcessLauncher
        do {
            launcher = try await factory.launcher(for: request) { text in
                continuation.yield(LogLine(time: Date(), source: "app", dyno: dyno, text: text))
            }
        } catch {
            // Refused (e.g. a stack this host lacks): the log consumer ends with it.
            continuation.finish()
            throw error
        }
        let release = request.release
        let changed = self.changed
        let supervisor = ProcessSupervisor(launcher: launcher, backoff: backoff) { event in
            changed.yield()
            continuation.yield(LogLine(time: Date(), source: "paas", dyno: dyno, text: Self.describe(event, release: release)))
            if event == .stopped { continuation.finish() }
        }
        let entry = Entry(request: request, supervisor: supervisor, output: output)
        entries[request.processID] = entry
        await supervisor.start()
        return await Self.resource(entry)
    }

    /// Lets `app`'s processes open connections to those of the apps in `reaches` (besides their
    /// own app's) from now on; a process started later gets the links its request carries.
    public func setLinks(app: String, reaches: [String]) async throws {
        try await factory.setLinks(app: app, reaches: Set(reaches))
    }

    /// Stops a process (SIGTERM, `grace`, SIGKILL) and forgets it; its log lines are flushed first.
    public func stop(id: String, grace: Duration = .seconds(30)) async throws {
        if let run = detachedRuns.removeValue(forKey: id) {
            await run.stop()
            return await run.reader.value
        }
        guard let entry = entries.removeValue(forKey: id) else {
            throw RunnerError(code: "process_not_found", message: "No process '\(id)' runs on this host.", kind: .notFound)
        }
        // Out of discovery before it gets SIGTERM.
        changed.yield()
        await entry.supervisor.stop(grace: grace)
        await entry.output.value
    }

    /// Waits until the process accepts TCP connections on its `PORT` (a web process booting),
    /// and fails, saying why, when it ends first or `timeout` passes.
    public func waitUntilListening(id: String, timeout: Duration) async throws -> ProcessResource {
        guard let entry = entries[id] else {
            throw RunnerError(code: "process_not_found", message: "No process '\(id)' runs on this host.", kind: .notFound)
        }
        let port = entry.request.env["PORT"].flatMap(Int.init) ?? 5000
        let deadline = ContinuousClock.now + timeout
        let dyno = entry.request.dyno
        while ContinuousClock.now < deadline {
            let status = await entry.supervisor.current
            if let exit = status.lastExit {
                throw RunnerError(code: "process_exited", message: "\(dyno) \(exit) before it listened on $PORT", kind: .invalid)
            }
            if let error = status.lastLaunchError {
                throw RunnerError(code: "process_not_started", message: "\(dyno) could not start: \(error)", kind: .invalid)
            }
            if status.state == .up, let address = status.address, await PortProbe.accepts(address: address, port: port) {
                return await Self.resource(entry)
            }
            // A refused connection costs microseconds: probe often, a deploy waits on this.
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RunnerError(
            code: "process_not_listening",
            message: "\(dyno) did not listen on $PORT (\(port)) within \(Self.seconds(timeout))", kind: .invalid)
    }

    /// Stops every process (platform shutdown).
    public func stopAll(grace: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for id in Array(entries.keys) + Array(detachedRuns.keys) {
                group.addTask { try? await self.stop(id: id, grace: grace) }
            }
        }
    }

    /// Every process of this host, by id.
    public func processes() async -> [ProcessResource] {
        var resources: [ProcessResource] = []
        for id in entries.keys.sorted() {
            if let entry = entries[id] { resources.append(await Self.resource(entry)) }
        }
        return resources + detachedRuns.values.sorted { $0.request.processID < $1.request.processID }.map(\.resource)
    }

    private static func resource(_ entry: Entry) async -> ProcessResource {
        let status = await entry.supervisor.current
        let request = entry.request
        return ProcessResource(
            id: request.processID, app: request.app, release: request.release, type: request.type, index: request.index,
            state: status.state.rawValue, since: status.since, restarts: status.restarts,
            lastExit: status.lastExit?.description, ip: status.address,
            memoryMiB: request.memoryMiB ?? RunContainerSpec.defaultMemoryMiB)
    }

    /// The platform's log line for a supervisor event, as `paas logs` shows it.
    static func describe(_ event: ProcessSupervisor.Event, release: Int) -> String {
        switch event {
        case .started: "Started (v\(release))"
        case .exited(let exit, let delay): "Process \(exit); restarting in \(seconds(delay))"
        case .launchFailed(let reason, let delay): "Could not start: \(reason); retrying in \(seconds(delay))"
        case .stopped: "Stopped"
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value < 1 ? "\(Int(value * 1000)) ms" : "\(Int(value.rounded())) s"
    }

    static func validate(_ request: ProcessStartRequest) throws {
        guard AppName.isValid(request.app) else {
            throw RunnerError(code: "invalid_app_name", message: "'\(request.app)' is not an app name. \(AppName.rule)", kind: .invalid)
        }
        guard ProcessTypeName.isValid(request.type), request.index >= 1, request.release >= 1 else {
            throw RunnerError(
                code: "invalid_process",
                message: "A process needs a valid type, an index from 1 and a release from 1. \(ProcessTypeName.rule)",
                kind: .invalid)
        }
        guard request.slugID.count == 64, request.slugID.allSatisfy(\.isHexDigit) else {
            throw RunnerError(code: "invalid_slug", message: "slug_id must be a sha256 (64 hexadecimal digits).", kind: .invalid)
        }
    }
}
