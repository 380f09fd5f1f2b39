import Logging
import PaasAPI
import PaasClient
import PaasCore

/// Makes an app's processes match its current release and formation on the runner
/// (DESIGN.md §4): the new processes start first; each new web process must accept TCP on
/// `$PORT` within the boot timeout; only then do the processes of other releases (and beyond the
/// formation) stop. A new release is `pending` until then: it runs its release phase first, and
/// becomes `succeeded` once its processes run, or `failed` with the reason while the processes
/// that ran before keep running.
public struct Deployer: Sendable {
    /// A release that did not boot.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var release: Int
        public var reason: String
        public var description: String { "v\(release) failed: \(reason)" }
    }

    let store: ControllerStore
    /// The runner of this platform; nil when it runs none (then releases are only recorded).
    let runner: @Sendable () -> RunnerClient?
    /// How long a web process may take to listen on `$PORT`.
    public var bootTimeoutSeconds = 60
    /// SIGTERM → SIGKILL grace for processes that are replaced.
    public var stopGraceSeconds = 30
    let logger: Logger
    private let queue = DeployQueue()

    public init(store: ControllerStore, runner: @escaping @Sendable () -> RunnerClient?, logger: Logger) {
        self.store = store
        self.runner = runner
        self.logger = logger
    }

    /// Converges `app`; throws `Failure` when its newest release did not deploy. `progress` hears
    /// the release phase's output (a push passes it on to git).
    public func converge(_ app: App, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try await queue.serialized(app.name.rawValue) { try await convergeNow(app, progress: progress) }
    }

    private func convergeNow(_ app: App, progress: @escaping @Sendable (String) -> Void) async throws {
        let releases = try await store.releases(of: app)
        guard let runner = runner() else {
            // A platform that runs nothing only records releases.
            if let pending = releases.first(where: { $0.status == .pending }) {
                try await store.markReleaseSucceeded(app, version: pending.version)
            }
            return
        }
        let name = app.name.rawValue
        let running = try await runner.processes().filter { $0.app == name }
        let target = releases.first { $0.slugID != nil && $0.status != .failed }
        let isNew = target?.status == .pending
        if let target, isNew, let reason = try await runReleasePhase(of: target, app: app, runner: runner, progress: progress) {
            try await fail(target, of: app, reason: reason, runner: runner)
        }
        let desired = app.settings.stopped ? [] : try await desiredProcesses(of: app, release: target)
        let runningIDs = Set(running.map(\.id))
        let started = desired.filter { !runningIDs.contains($0.processID) }
        for request in started { _ = try await runner.start(request) }
        do {
            for request in started where request.type == "web" {
                _ = try await runner.waitUntilListening(
                    id: request.processID, timeoutSeconds: app.settings.bootTimeoutSeconds ?? bootTimeoutSeconds)
            }
        } catch ClientError.api(_, let body) where Self.bootFailures.contains(body.code) {
            for request in started { try? await runner.stop(id: request.processID, graceSeconds: 5) }
            guard let target else { throw ClientError.api(status: 422, body) }
            // A release that ran before (scaling up) stays current; a new one that cannot boot fails.
            if isNew { try await fail(target, of: app, reason: body.message, runner: runner) }
            throw Failure(release: target.version, reason: body.message)
        }
        let desiredIDs = Set(desired.map(\.processID))
        // One-off processes (`run --detach`) are not part of the formation: they run to their end.
        for process in running where !desiredIDs.contains(process.id) && process.type != Self.oneOffType {
            try await runner.stop(id: process.id, graceSeconds: app.settings.stopTimeoutSeconds ?? stopGraceSeconds)
        }
        if let target, isNew {
            try await store.markReleaseSucceeded(app, version: target.version)
            try? await runner.appendLog(app: name, LogEventRequest(dyno: "deploy", text: "v\(target.version) deployed"))
        }
    }

    /// Marks `release` failed, says so in the app's log, and throws the `Failure`.
    private func fail(_ release: Release, of app: App, reason: String, runner: RunnerClient) async throws -> Never {
        try await store.markReleaseFailed(app, version: release.version, reason: reason)
        logger.info("release did not deploy", metadata: ["app": "\(app.name)", "release": "\(release.version)"])
        try? await runner.appendLog(
            app: app.name.rawValue, LogEventRequest(dyno: "deploy", text: "v\(release.version) failed: \(reason)"))
        throw Failure(release: release.version, reason: reason)
    }

    /// Restarts the app's processes (of `type` only, when given): they stop, then start again.
    public func restart(_ app: App, type: String?) async throws {
        guard let runner = runner() else { return }
        for process in try await runner.processes()
        where process.app == app.name.rawValue && process.type != Self.oneOffType && (type == nil || process.type == type) {
            try await runner.stop(id: process.id, graceSeconds: app.settings.stopTimeoutSeconds ?? stopGraceSeconds)
        }
        try await converge(app)
    }

    /// A one-off process of the app's current release running `command` (`paas run`).
    public func oneOff(_ app: App, command: [String], env: [String: String]) async throws -> ProcessStartRequest {
        let releases = try await store.releases(of: app)
        guard let release = releases.first(where: { $0.slugID != nil && $0.status == .succeeded }), let slug = release.slugID else {
            throw ControllerError(
                status: .unprocessableContent, code: "no_code",
                message: "App '\(app.name)' has no code yet. Deploy with 'git push paas main' first.")
        }
        var environment = release.config.merging(env) { _, new in new }
        environment["PORT"] = "5000"
        return ProcessStartRequest(
            app: app.name.rawValue, release: release.version, slugID: slug, type: Self.oneOffType, index: Int.random(in: 1000...9999),
            command: command, processTypes: release.processTypes, env: environment)
    }

    /// Stops every process of the app (before it is destroyed).
    public func stopProcesses(of app: App) async throws {
        guard let runner = runner() else { return }
        for process in try await runner.processes() where process.app == app.name.rawValue {
            try await runner.stop(id: process.id, graceSeconds: app.settings.stopTimeoutSeconds ?? stopGraceSeconds)
        }
    }

    /// Converges every app (at start-up: the runner starts empty).
    public func convergeAll() async {
        guard runner() != nil else { return }
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
        return formation.entries.filter { $0.quantity > 0 && release.processTypes[$0.type] != nil }.flatMap { entry in
            (1...entry.quantity).map { index in
                ProcessStartRequest(
                    app: app.name.rawValue, release: release.version, slugID: slug, type: entry.type, index: index,
                    processTypes: release.processTypes, env: environment, memoryMiB: entry.memoryMiB)
            }
        }
    }

    /// The type of one-off processes (`paas run`).
    static let oneOffType = "run"

    static let bootFailures: Set<String> = ["process_exited", "process_not_listening", "process_not_started"]
}
