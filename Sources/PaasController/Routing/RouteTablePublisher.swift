import Logging
import PaasAPI
import PaasCore

/// The route table routers serve (DESIGN.md §7), kept current for their watches: apps, their
/// domains and certificates, and the web processes that are up — less those a deploy is about
/// to stop, which leave the table before they get SIGTERM.
public actor RouteTablePublisher {
    let store: ControllerStore
    let configuration: ControllerConfiguration
    let logger: Logger
    private var table: RouteTableResource
    private var watchers: [Int: AsyncStream<RouteTableResource>.Continuation] = [:]
    private var nextWatcher = 0
    private var draining: Set<String> = []
    private var polling: Task<Void, Never>?

    /// How often the table is rebuilt while routers watch it (processes that crash and come back
    /// on another address are noticed this way).
    public var pollInterval: Duration = .seconds(1)

    public init(store: ControllerStore, configuration: ControllerConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.table = RouteTableResource(version: 0, defaultDomain: configuration.domain, apps: [])
    }

    /// The table as it is now.
    public func current() async throws -> RouteTableResource {
        try await refresh()
        return table
    }

    /// The table now, then again after every change, until the caller stops reading.
    public func watch() async throws -> AsyncStream<RouteTableResource> {
        try await refresh()
        let (stream, continuation) = AsyncStream<RouteTableResource>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextWatcher
        nextWatcher += 1
        watchers[id] = continuation
        continuation.yield(table)
        continuation.onTermination = { _ in Task { await self.removeWatcher(id) } }
        startPolling()
        return stream
    }

    /// Ends every watch (the API server is shutting down and waits for open streams).
    public func finishWatches() {
        for watcher in watchers.values { watcher.finish() }
        watchers.removeAll()
        polling?.cancel()
        polling = nil
    }

    /// Takes processes out of the table (a deploy is about to stop them) and waits a moment so
    /// routers apply it before the processes get SIGTERM.
    public func drain(_ processIDs: [String], settle: Duration = .seconds(1)) async {
        guard !processIDs.isEmpty else { return }
        draining.formUnion(processIDs)
        do { try await refresh() } catch { logger.warning("cannot rebuild the route table", metadata: ["error": "\(error)"]) }
        if !watchers.isEmpty { try? await Task.sleep(for: settle) }
    }

    /// Forgets drained processes once they are gone.
    public func forget(_ processIDs: [String]) {
        draining.subtract(processIDs)
    }

    /// Rebuilds the table and tells the watchers when it changed.
    public func refresh() async throws {
        var next = try await build()
        next.version = table.version
        guard next != table else { return }
        next.version = table.version + 1
        table = next
        for watcher in watchers.values { watcher.yield(table) }
    }

    private func build() async throws -> RouteTableResource {
        let apps = try await store.apps()
        let domains = try await store.allDomains()
        let processes = await Cluster.read(try await store.hosts(), logger: logger).processes.map(\.process)
        var backends: [String: [RouteBackendResource]] = [:]
        for process in processes where process.type == "web" && process.state == "up" && !draining.contains(process.id) {
            guard let ip = process.ip else { continue }
            backends[process.app, default: []].append(RouteBackendResource(process: "web.\(process.index)", host: ip, port: 5000))
        }
        return RouteTableResource(
            version: 0, defaultDomain: configuration.domain,
            apps: apps.map { app in
                AppRouteResource(
                    app: app.name.rawValue, domains: domains[app.id] ?? [], redirectHTTPS: app.settings.redirectHTTPS,
                    backends: (backends[app.name.rawValue] ?? []).sorted { $0.process < $1.process })
            },
            certificates: try await store.routeCertificates(defaultDomain: configuration.domain))
    }

    private func removeWatcher(_ id: Int) {
        watchers[id] = nil
        if watchers.isEmpty {
            polling?.cancel()
            polling = nil
        }
    }

    private func startPolling() {
        guard polling == nil else { return }
        polling = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval)
                do { try await refresh() } catch { logger.warning("cannot rebuild the route table", metadata: ["error": "\(error)"]) }
            }
        }
    }
}
