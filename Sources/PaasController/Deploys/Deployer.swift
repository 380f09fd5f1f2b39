import Logging
import PaasAPI
import PaasClient
import PaasCore

/// Makes an app's processes match its current release and formation on the runner hosts:
/// the new processes start first; each new web process must accept TCP on
/// `$PORT` within the boot timeout; only then do the processes of other releases (and beyond the
/// formation) stop. A new release is `pending` until then: it runs its release phase first, and
/// becomes `succeeded` once its processes run, or `failed` with the reason while the processes
/// that ran before keep running. New processes go where the `Scheduler` puts them; a host that does
/// not answer counts as empty, so its processes start elsewhere.
public struct Deployer: Sendable {
    /// A release that did not boot.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var release: Int
        public var reason: String
        public var description: String { "v\(release) failed: \(reason)" }
    }

    let store: ControllerStore
    /// How long a web process may take to listen on `$PORT`.
    public var bootTimeoutSeconds = 60
    /// SIGTERM → SIGKILL grace for processes that are replaced.
    public var stopGraceSeconds = 30
    let logger: Logger
    private let queue = DeployQueue()
    /// The routers' table: processes leave it before they are stopped, and new web processes
    /// join it once they listen.
    public var routes: RouteTablePublisher?

    public init(store: ControllerStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// What runs where now, from every registered host that answers.
    func cluster() async throws -> Cluster {
        await Cluster.read(try await store.hosts(), logger: logger)
    }

    /// The app's processes on every host that answers.
    public func processes(of app: App) async throws -> [PlacedProcess] {
        try await cluster().processes(of: app.name.rawValue)
    }

    /// The hosts that answer (to read logs from, say).
    public func reachableHosts() async throws -> [HostRunner] {
        try await cluster().hosts
    }

    /// Converges `app`; throws `Failure` when its newest release did not deploy. `progress` hears
    /// the release phase's output (a push passes it on to git); `timing` hears how long each
    /// stage took (`release phase`, `start` — slug and container on the runner —, `port`,
    /// `route`, `stop old`), in order.
    public func converge(
        _ app: App, progress: @escaping @Sendable (String) -> Void = { _ in },
        timing: @escaping @Sendable (String, Duration) -> Void = { _, _ in }
    ) async throws {
        try await queue.serialized(app.name.rawValue) { try await convergeNow(app, progress: progress, timing: timing) }
    }

    private func convergeNow(
        _ app: App, progress: @escaping @Sendable (String) -> Void, timing: @escaping @Sendable (String, Duration) -> Void
    ) async throws {
        var stageStarted = ContinuousClock.now
        func stageEnded(_ name: String) {
            timing(name, ContinuousClock.now - stageStarted)
            stageStarted = ContinuousClock.now
        }
        let releases = try await store.releases(of: app)
        let cluster = try await cluster()
        guard let logHost = cluster.hosts.first else {
            // A platform without runner hosts only records releases.
            guard cluster.unreachable.isEmpty else { throw Self.noHostAnswers(cluster) }
            if let pending = releases.first(where: { $0.status == .pending }) {
                try await store.markReleaseSucceeded(app, version: pending.version)
            }
            return
        }
        let name = app.name.rawValue
        let running = cluster.processes(of: name)
        var scheduler = cluster.scheduler()
        let target = releases.first { $0.slugID != nil && $0.status != .failed }
        let isNew = target?.status == .pending
        if let target, isNew {
            let host = scheduler.place(app: name).flatMap(cluster.host(named:)) ?? logHost
            if let reason = try await runReleasePhase(of: target, app: app, runner: host.client, progress: progress) {
                try await fail(target, of: app, reason: reason, logHost: logHost)
            }
            stageEnded("release phase")
        }
        let desired = app.settings.stopped ? [] : try await desiredProcesses(of: app, release: target)
        let runningIDs = Set(running.map(\.process.id))
        var started: [(request: ProcessStartRequest, host: HostRunner)] = []
        for request in desired where !runningIDs.contains(request.processID) {
            let host = scheduler.place(app: name).flatMap(cluster.host(named:)) ?? logHost
            _ = try await host.client.start(request)
            started.append((request, host))
        }
        if !started.isEmpty { stageEnded("start") }
        do {
            for (request, host) in started where request.type == "web" {
                _ = try await host.client.waitUntilListening(
                    id: request.processID, timeoutSeconds: app.settings.bootTimeoutSeconds ?? bootTimeoutSeconds)
            }
        } catch ClientError.api(_, let body) where Self.bootFailures.contains(body.code) {
            for (request, host) in started { try? await host.client.stop(id: request.processID, graceSeconds: 5) }
            guard let target else { throw ClientError.api(status: 422, body) }
            // A release that ran before (scaling up) stays current; a new one that cannot boot fails.
            if isNew { try await fail(target, of: app, reason: body.message, logHost: logHost) }
            throw Failure(release: target.version, reason: body.message)
        }
        if !started.isEmpty {
            stageEnded("port")
            try? await routes?.refresh()
            stageEnded("route")
        }
        let desiredIDs = Set(desired.map(\.processID))
        // One-off processes (`run --detach`) are not part of the formation: they run to their end.
        let replaced = running.filter { !desiredIDs.contains($0.process.id) && $0.process.type != Self.oneOffType }
        try await stop(replaced, of: app)
        if !replaced.isEmpty { stageEnded("stop old") }
        if let target, isNew {
            try await store.markReleaseSucceeded(app, version: target.version)
            try? await logHost.client.appendLog(app: name, LogEventRequest(dyno: "deploy", text: "v\(target.version) deployed"))
        }
    }

    static func noHostAnswers(_ cluster: Cluster) -> ControllerError {
        ControllerError(
            status: .serviceUnavailable, code: "no_runner_host",
            message: "No runner host answers (\(cluster.unreachable.joined(separator: ", "))). Check that 'paasd runner' runs there.",
            retryable: true)
    }

    /// Stops `processes`: first out of the routers' table, then SIGTERM, the app's stop timeout,
    /// SIGKILL; all at once.
    private func stop(_ processes: [PlacedProcess], of app: App) async throws {
        guard !processes.isEmpty else { return }
        let ids = processes.map(\.process.id)
        await routes?.drain(ids)
        let grace = app.settings.stopTimeoutSeconds ?? stopGraceSeconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for placed in processes {
                group.addTask { try await placed.host.client.stop(id: placed.process.id, graceSeconds: grace) }
            }
            try await group.waitForAll()
        }
        await routes?.forget(ids)
    }

    /// Marks `release` failed, says so in the app's log, and throws the `Failure`.
    private func fail(_ release: Release, of app: App, reason: String, logHost: HostRunner) async throws -> Never {
        try await store.markReleaseFailed(app, version: release.version, reason: reason)
        logger.info("release did not deploy", metadata: ["app": "\(app.name)", "release": "\(release.version)"])
        try? await logHost.client.appendLog(
            app: app.name.rawValue, LogEventRequest(dyno: "deploy", text: "v\(release.version) failed: \(reason)"))
        throw Failure(release: release.version, reason: reason)
    }

    /// Restarts the app's processes (of `type` only, when given): they stop, then start again.
    public func restart(_ app: App, type: String?) async throws {
        try await stop(
            try await processes(of: app).filter { $0.process.type != Self.oneOffType && (type == nil || $0.process.type == type) }, of: app)
        try await converge(app)
    }

    /// A one-off process of the app's current release running `command` (`paas run`), and the
    /// host to run it on; nil when the platform has no runner host.
    public func oneOff(_ app: App, command: [String], env: [String: String]) async throws -> (ProcessStartRequest, HostRunner)? {
        let cluster = try await cluster()
        var scheduler = cluster.scheduler()
        guard let host = scheduler.place(app: app.name.rawValue).flatMap(cluster.host(named:)) else {
            guard cluster.unreachable.isEmpty else { throw Self.noHostAnswers(cluster) }
            return nil
        }
        let releases = try await store.releases(of: app)
        guard let release = releases.first(where: { $0.slugID != nil && $0.status == .succeeded }), let slug = release.slugID else {
            throw ControllerError(
                status: .unprocessableContent, code: "no_code",
                message: "App '\(app.name)' has no code yet. Deploy with 'git push paas main' first.")
        }
        var environment = release.config.merging(env) { _, new in new }
        environment["PORT"] = "5000"
        let request = ProcessStartRequest(
            app: app.name.rawValue, release: release.version, slugID: slug, type: Self.oneOffType, index: Int.random(in: 1000...9999),
            command: command, processTypes: release.processTypes, env: environment, stack: release.stack,
            reaches: try await store.links(of: app))
        return (request, host)
    }

    /// Stops every process of the app (before it is destroyed).
    public func stopProcesses(of app: App) async throws {
        try await stop(try await processes(of: app), of: app)
    }

    /// Converges every app (at start-up, and when a runner host registers: it starts empty).
    public func convergeAll() async {
        do {
            for app in try await store.apps() {
                do { try await converge(app) } catch { logger.warning("converging failed", metadata: ["app": "\(app.name)", "error": "\(error)"]) }
            }
        } catch {
            logger.error("cannot list apps to converge", metadata: ["error": "\(error)"])
        }
    }

    /// `release` (the one to run) as processes of the app's formation.
    func desiredProcesses(of app: App, release: Release?) async throws -> [ProcessStartRequest] {
        guard let release, let slug = release.slugID else { return [] }
        let formation = try await store.formation(of: app, processTypes: release.processTypes)
        var environment = release.config
        environment["PORT"] = "5000"
        let reaches = try await store.links(of: app)
        return formation.entries.filter { $0.quantity > 0 && release.processTypes[$0.type] != nil }.flatMap { entry in
            (1...entry.quantity).map { index in
                ProcessStartRequest(
                    app: app.name.rawValue, release: release.version, slugID: slug, type: entry.type, index: index,
                    processTypes: release.processTypes, env: environment, memoryMiB: entry.memoryMiB, stack: release.stack,
                    reaches: reaches)
            }
        }
    }

    /// The type of one-off processes (`paas run`).
    static let oneOffType = "run"

    static let bootFailures: Set<String> = ["process_exited", "process_not_listening", "process_not_started"]
}
