import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PaasAPI
import Synchronization

/// The HTTP/HTTPS router: serves every app of the route table by Host, with live table updates.
///
/// ```swift
/// let router = Router(configuration: .init(httpPort: 80, httpsPort: 443), logger: logger)
/// router.update(table)                      // any time, from any task
/// try await router.run()                    // until the task is cancelled
/// ```
public final class Router: Sendable {
    /// The configuration the router was made with.
    public let configuration: RouterConfiguration
    private let services: RouterServices
    private let group: MultiThreadedEventLoopGroup
    private let ports: EventLoopPromise<RouterPorts>
    private let connections = Mutex<[ObjectIdentifier: Channel]>([:])

    /// A router with an empty route table (every host answers 404 until ``update(_:)``).
    ///
    /// - Parameters:
    ///   - logSink: receives one Heroku-style line per request for the app's own log.
    ///   - eventLoopGroup: the threads for listeners, client and backend connections.
    public init(
        configuration: RouterConfiguration = RouterConfiguration(),
        logger: Logger = Logger(label: "paas.router"),
        logSink: (@Sendable (RouterLogLine) -> Void)? = nil,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton
    ) throws {
        let empty = RouteTableResource(version: Int.min, defaultDomain: "localhost", apps: [])
        let certificates = CertificateStore(
            sources: [], fallbackDomain: "localhost", fallback: try SelfSignedCertificate.make(domain: "localhost"),
            logger: logger)
        self.configuration = configuration
        self.group = eventLoopGroup
        self.services = RouterServices(
            configuration: configuration, group: eventLoopGroup,
            snapshot: RouteSnapshot(empty, previous: nil, certificates: certificates, logger: logger),
            logger: logger, logSink: logSink)
        self.ports = eventLoopGroup.next().makePromise(of: RouterPorts.self)
    }

    /// Replaces the route table. Requests that start afterwards use it; requests in flight and
    /// spliced connections (websockets) on removed backends finish undisturbed. A table older
    /// than the current one (lower `version`) is ignored.
    public func update(_ table: RouteTableResource) {
        let logger = services.logger
        services.replaceSnapshot { previous in
            guard table.version >= previous.version else {
                logger.debug("Ignoring an older route table", metadata: ["version": "\(table.version)"])
                return previous
            }
            return RouteSnapshot(
                table, previous: previous, certificates: previous.certificates.updated(for: table, logger: logger),
                logger: logger)
        }
    }

    /// The router's counters (also served as Prometheus text on the admin listener).
    public var metrics: RouterMetrics { services.metrics }

    /// The bound ports, once ``run()`` has bound its listeners; throws if binding failed.
    public func boundPorts() async throws -> RouterPorts {
        try await ports.futureResult.get()
    }

    /// Binds the listeners and serves until the calling task is cancelled; then stops accepting,
    /// lets requests in flight finish (up to `drainTimeout`) and closes every connection.
    public func run() async throws {
        let listeners: [Channel]
        do {
            listeners = try await bindListeners()
        } catch {
            ports.fail(error)
            throw error
        }
        let stop = group.next().makePromise(of: Void.self)
        await withTaskCancellationHandler {
            try? await stop.futureResult.get()
        } onCancel: {
            stop.succeed()
        }
        for listener in listeners { try? await listener.close() }
        await drain()
        for channel in connections.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        for pool in services.allPools {
            try? await pool.eventLoop.submit { pool.shutdown() }.get()
        }
    }

    private func bindListeners() async throws -> [Channel] {
        var listeners: [Channel] = []
        do {
            let http = try await bind(port: configuration.httpPort) { [services] channel in
                channel.eventLoop.makeCompletedFuture {
                    try ConnectionSetup.http1(channel, services: services, secure: false)
                }
            }
            listeners.append(http)
            var https: Channel?
            if let httpsPort = configuration.httpsPort {
                let tls = try ConnectionSetup.tlsContext(services: services)
                https = try await bind(port: httpsPort) { [services] channel in
                    ConnectionSetup.https(channel, services: services, tls: tls)
                }
                listeners.append(https!)
            }
            var admin: Channel?
            if let adminPort = configuration.adminPort {
                admin = try await bindAdmin(port: adminPort)
                listeners.append(admin!)
            }
            let bound = RouterPorts(
                http: http.localAddress?.port ?? configuration.httpPort, https: https?.localAddress?.port,
                admin: admin?.localAddress?.port)
            services.redirectHTTPSPort.store(configuration.publicHTTPSPort ?? bound.https ?? 0, ordering: .relaxed)
            for pool in services.allPools {
                pool.eventLoop.execute { pool.startSweeping() }
            }
            ports.succeed(bound)
            services.logger.info(
                "Router listening",
                metadata: ["http": "\(bound.http)", "https": "\(bound.https.map(String.init) ?? "-")",
                           "admin": "\(bound.admin.map(String.init) ?? "-")"])
            return listeners
        } catch {
            for listener in listeners { try? await listener.close() }
            throw RouterError.cannotListen(host: configuration.host, cause: error)
        }
    }

    private func bind(
        port: Int, _ initializer: @escaping @Sendable (Channel) -> EventLoopFuture<Void>
    ) async throws -> Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                track(channel)
                return initializer(channel)
            }
            .bind(host: configuration.host, port: port)
            .get()
    }

    private func bindAdmin(port: Int) async throws -> Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [metrics = services.metrics] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(metrics: metrics))
                }
            }
            .bind(host: configuration.adminHost, port: port)
            .get()
    }

    private func track(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = connections.withLock { $0.removeValue(forKey: id) }
        }
    }

    private func drain() async {
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while services.metrics.requestsInFlight > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
