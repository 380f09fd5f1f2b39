import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive connections to backends, one pool per event loop so a request and its backend
/// connection share a thread and need no locks. Confined to `eventLoop`.
final class BackendConnectionPool: @unchecked Sendable {
    let eventLoop: EventLoop
    private let idleTimeout: TimeAmount
    private let connectTimeout: TimeAmount
    private let maxIdlePerBackend: Int
    private var idle: [BackendKey: [BackendHandler]] = [:]
    private var sweeper: RepeatedTask?

    init(eventLoop: EventLoop, configuration: RouterConfiguration) {
        self.eventLoop = eventLoop
        self.idleTimeout = TimeAmount(configuration.backendIdleTimeout)
        self.connectTimeout = TimeAmount(configuration.backendConnectTimeout)
        self.maxIdlePerBackend = configuration.maxIdleConnectionsPerBackend
    }

    /// An open idle connection to `key`, if one is pooled.
    func acquire(_ key: BackendKey) -> BackendHandler? {
        eventLoop.preconditionInEventLoop()
        while let handler = idle[key]?.popLast() {
            if handler.isActive { return handler }
        }
        return nil
    }

    /// Takes back a connection whose last response allowed keep-alive.
    func release(_ handler: BackendHandler) {
        eventLoop.preconditionInEventLoop()
        handler.proxy = nil
        guard handler.isActive else { return }
        handler.idleSince = .now()
        if idle[handler.key, default: []].count >= maxIdlePerBackend {
            handler.close()
        } else {
            idle[handler.key, default: []].append(handler)
        }
    }

    /// Opens a new connection to `backend`; `done` runs on this event loop.
    func connect(to backend: BackendState, _ done: @escaping (Result<BackendHandler, Error>) -> Void) {
        let key = backend.key
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes, informationalResponseStrategy: .forward)
                    try channel.pipeline.syncOperations.addHandlers([
                        HTTPRequestEncoder(), ByteToMessageHandler(decoder), BackendHandler(key: key),
                    ])
                }
            }
            .connect(to: backend.address)
            .assumeIsolated()
            .whenComplete { result in
                done(result.flatMap { channel in
                    Result(catching: { try channel.pipeline.syncOperations.handler(type: BackendHandler.self) })
                })
            }
    }

    /// Closes idle connections older than the idle timeout, periodically.
    func startSweeping() {
        let interval = TimeAmount.nanoseconds(min(max(idleTimeout.nanoseconds / 2, 100_000_000), 5_000_000_000))
        sweeper = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            self.sweep()
        }
    }

    /// Stops sweeping and closes every idle connection.
    func shutdown() {
        eventLoop.preconditionInEventLoop()
        sweeper?.cancel()
        sweeper = nil
        for handler in idle.values.joined() { handler.close() }
        idle = [:]
    }

    private func sweep() {
        let oldest = NIODeadline.now() - idleTimeout
        for key in Array(idle.keys) {
            idle[key]?.removeAll { handler in
                let expired = !handler.isActive || handler.idleSince < oldest
                if expired { handler.close() }
                return expired
            }
            if idle[key]?.isEmpty == true { idle[key] = nil }
        }
    }
}
