import Logging
import PaasAPI
import PaasCore

/// The route table routers serve, kept current for their watches: apps, their
/// domains and certificates, and the web processes that are up — less those a deploy is about
/// to stop, which leave the table before they get SIGTERM.
///
/// Changes are pushed: whoever changes what the table is built from (the deployer, once new
/// processes listen or before old ones stop) calls `refresh()`, and every watch gets the new
/// table at once. A poll (`pollInterval`) catches what nobody announced, such as a process that
/// crashed and came back on another address.
public actor RouteTablePublisher {
    let store: ControllerStore
    let configuration: ControllerConfiguration
    let logger: Logger
    private var table: RouteTableResource
    private var watchers: [Int: AsyncStream<RouteTableResource>.Continuation] = [:]
    /// Per watch, the newest table version its reader has finished with (it asked for the next).
    private var processed: [Int: Int] = [:]
    private var processedWaiters: [Int: (version: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiter = 0
    /// Waiters whose time ran out before they were registered.
    private var expiredWaiters: Set<Int> = []
    private var nextWatcher = 0
    private var draining: Set<String> = []
    private var polling: Task<Void, Never>?
    /// The last refresh, which the next one waits for: one rebuild at a time, in order.
    private var refreshing: Task<Void, any Error>?

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
    ///
    /// When the reader asks for the next table, the one before counts as processed (an SSE
    /// handler has written it to its router): `drain` waits for that.
    public func watch() async throws -> AsyncStream<RouteTableResource> {
        try await refresh()
        let (stream, continuation) = AsyncStream<RouteTableResource>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextWatcher
        nextWatcher += 1
        watchers[id] = continuation
        processed[id] = -1
        continuation.yield(table)
        continuation.onTermination = { _ in Task { await self.removeWatcher(id) } }
        startPolling()
        let reader = WatchReader(stream.makeAsyncIterator())
        return AsyncStream(unfolding: { [weak self] in
            if let version = reader.last { await self?.markProcessed(id, version: version) }
            let next = await reader.next()
            reader.last = next?.version
            return next
        })
    }

    /// Ends every watch (the API server is shutting down and waits for open streams).
    public func finishWatches() {
        for watcher in watchers.values { watcher.finish() }
        watchers.removeAll()
        processed.removeAll()
        releaseProcessedWaiters()
        polling?.cancel()
        polling = nil
    }

    /// Takes processes out of the table (a deploy is about to stop them) and waits until every
    /// watch has processed the new table — at most `settle` — so that routers apply it before
    /// the processes get SIGTERM. A connected router answers within milliseconds; the bound is
    /// for one that hangs with its watch still open, and is generous because a loaded host can
    /// take seconds (with 1 s, a redeploy on a busy host stopped processes a router still used).
    public func drain(_ processIDs: [String], settle: Duration = .seconds(10)) async {
        guard !processIDs.isEmpty else { return }
        draining.formUnion(processIDs)
        do { try await refresh() } catch { logger.warning("cannot rebuild the route table", metadata: ["error": "\(error)"]) }
        guard !watchers.isEmpty else { return }
        let version = table.version
        guard !allProcessed(version) else { return }
        let id = nextWaiter
        nextWaiter += 1
        let timeout = Task {
            guard (try? await Task.sleep(for: settle)) != nil else { return }
            self.releaseExpiredWaiter(id, version: version)
        }
        await withCheckedContinuation { continuation in
            if expiredWaiters.remove(id) != nil {
                continuation.resume()
            } else {
                processedWaiters[id] = (version, continuation)
            }
        }
        timeout.cancel()
        expiredWaiters.remove(id)
    }

    /// How many `drain` calls wait for watches to process their table (for tests).
    var waitingDrains: Int { processedWaiters.count }

    private func allProcessed(_ version: Int) -> Bool {
        watchers.keys.allSatisfy { (processed[$0] ?? -1) >= version }
    }

    private func markProcessed(_ id: Int, version: Int) {
        guard watchers[id] != nil else { return }
        processed[id] = max(processed[id] ?? -1, version)
        resumeProcessedWaiters()
    }

    private func resumeProcessedWaiters() {
        for (id, waiter) in processedWaiters where allProcessed(waiter.version) {
            processedWaiters[id] = nil
            waiter.continuation.resume()
        }
    }

    private func releaseExpiredWaiter(_ id: Int, version: Int) {
        let late = watchers.keys.filter { (processed[$0] ?? -1) < version }
        logger.warning(
            "a router did not apply the route table in time; stopping the drained processes anyway",
            metadata: ["version": "\(version)", "watches": "\(late.count)"])
        releaseProcessedWaiter(id)
    }

    private func releaseProcessedWaiter(_ id: Int) {
        guard let waiter = processedWaiters.removeValue(forKey: id) else {
            expiredWaiters.insert(id)
            return
        }
        waiter.continuation.resume()
    }

    private func releaseProcessedWaiters() {
        let waiters = processedWaiters.values
        processedWaiters.removeAll()
        for waiter in waiters { waiter.continuation.resume() }
    }

    /// Forgets drained processes once they are gone. A rebuild under way may hold a list of
    /// processes read before they stopped; they leave `draining` only after it, or that list
    /// would put them back into the table.
    public func forget(_ processIDs: [String]) async {
        _ = await refreshing?.result
        draining.subtract(processIDs)
    }

    /// Rebuilds the table and tells the watchers when it changed; after any rebuild under way,
    /// so that an older list of processes never lands after a newer one.
    public func refresh() async throws {
        let previous = refreshing
        let task = Task {
            _ = await previous?.result
            try await self.rebuild()
        }
        refreshing = task
        try await task.value
    }

    private func rebuild() async throws {
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
        processed[id] = nil
        resumeProcessedWaiters()
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

/// The iterator of one watch's stream with the version it handed out last; read by one
/// consumer at a time (the stream's reader), which is why it may be shared.
private final class WatchReader: @unchecked Sendable {
    private var iterator: AsyncStream<RouteTableResource>.Iterator
    var last: Int?

    init(_ iterator: AsyncStream<RouteTableResource>.Iterator) { self.iterator = iterator }

    func next() async -> RouteTableResource? { await iterator.next() }
}
