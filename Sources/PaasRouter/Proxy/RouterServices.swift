import Logging
import NIOCore
import PaasAPI
import Synchronization

/// What every connection handler shares: configuration, the current route snapshot, metrics,
/// logging, and the per-event-loop backend pools.
final class RouterServices: Sendable {
    let configuration: RouterConfiguration
    let firstByteTimeout: TimeAmount
    let headerReadTimeout: TimeAmount
    let clientIdleTimeout: TimeAmount
    let refusedBackendPause: TimeAmount
    let logger: Logger
    let logSink: (@Sendable (RouterLogLine) -> Void)?
    let metrics: RouterMetrics
    /// Whether per-request access-log lines go to `logger` (info level) at all.
    let logsRequests: Bool
    private let current: Mutex<RouteSnapshot>
    private let pools: [ObjectIdentifier: BackendConnectionPool]
    /// The HTTPS port for redirects, once known.
    let redirectHTTPSPort = Atomic<Int>(0)

    init(
        configuration: RouterConfiguration, group: EventLoopGroup, snapshot: RouteSnapshot, logger: Logger,
        logSink: (@Sendable (RouterLogLine) -> Void)?
    ) {
        self.configuration = configuration
        self.firstByteTimeout = TimeAmount(configuration.firstByteTimeout)
        self.headerReadTimeout = TimeAmount(configuration.headerReadTimeout)
        self.clientIdleTimeout = TimeAmount(configuration.clientIdleTimeout)
        self.refusedBackendPause = TimeAmount(configuration.refusedBackendPause)
        self.logger = logger
        self.logSink = logSink
        self.logsRequests = logger.logLevel <= .info
        self.metrics = RouterMetrics()
        self.current = Mutex(snapshot)
        var pools: [ObjectIdentifier: BackendConnectionPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = BackendConnectionPool(eventLoop: loop, configuration: configuration)
        }
        self.pools = pools
    }

    /// The route snapshot requests starting now use.
    var snapshot: RouteSnapshot { current.withLock { $0 } }

    /// Replaces the snapshot with one built from the current one.
    func replaceSnapshot(_ build: (RouteSnapshot) -> RouteSnapshot) {
        current.withLock { $0 = build($0) }
    }

    /// The backend pool of `eventLoop` (one of the router's group).
    func pool(for eventLoop: EventLoop) -> BackendConnectionPool {
        guard let pool = pools[ObjectIdentifier(eventLoop)] else {
            preconditionFailure("Event loop \(eventLoop) is not one of the router's event loop group")
        }
        return pool
    }

    var allPools: Dictionary<ObjectIdentifier, BackendConnectionPool>.Values { pools.values }
}
