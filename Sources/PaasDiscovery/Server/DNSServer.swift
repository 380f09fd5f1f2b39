import Logging
import NIOCore
import NIOPosix
import PaasAPI
import Synchronization

/// The platform's DNS server: answers `internal.` from a live `DiscoveryTable` and forwards every
/// other name to the host's resolvers. Listens on UDP and TCP on the same port.
///
/// Create it (which binds), read `port`, then `run()` it until cancelled; `update(entries:staticNames:)`
/// may be called at any time from any task.
public final class DNSServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: DiscoveryConfiguration
    /// The port bound for both UDP and TCP (the configured one, or the one picked for port 0).
    public let port: Int

    private typealias DatagramChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    private typealias StreamServerChannel = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    private let udpChannel: DatagramChannel
    private let tcpChannel: StreamServerChannel
    private let table: Mutex<DiscoveryTable>
    /// Which apps' names each client sees; nil: every client sees every app.
    let audience: (any DiscoveryAudience)?
    /// UDP queries being answered plus TCP connections open; see `maxConcurrentQueries`.
    private let inFlight = Atomic<Int>(0)
    let resolver: UpstreamResolver
    let logger: Logger

    /// Binds UDP and TCP on `configuration.host:port` and reads the upstream resolvers. With an
    /// `audience`, each client gets only the names of the apps it may see.
    /// Throws `dns_bind_failed` when the port is taken or not allowed, `dns_invalid_upstream`
    /// for a configured upstream that is not an address.
    public init(
        configuration: DiscoveryConfiguration, entries: [DiscoveryEntry] = [], staticNames: [String: [String]] = [:],
        audience: (any DiscoveryAudience)? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "paas.discovery")
    ) async throws(DiscoveryError) {
        var upstreams = try Self.upstreams(configuration, logger: logger)
        let (udp, tcp) = try await Self.bindBoth(configuration, group: group, logger: logger)
        let listening = udp.channel.localAddress
        let boundPort = listening?.port ?? configuration.port
        // Forwarding to ourselves would bounce every outside query until it times out.
        upstreams.removeAll { upstream in
            let isSelf =
                upstream.port == boundPort
                && (upstream.ipAddress == listening?.ipAddress || Self.isUnspecified(configuration.host))
            if isSelf { logger.warning("Not forwarding to the DNS server itself", metadata: ["upstream": "\(upstream)"]) }
            return isSelf
        }
        self.udpChannel = udp
        self.tcpChannel = tcp
        self.port = boundPort
        self.configuration = configuration
        self.table = Mutex(DiscoveryTable(entries: entries, staticNames: staticNames, ttl: configuration.ttl))
        self.audience = audience
        self.resolver = UpstreamResolver(upstreams: upstreams, timeout: configuration.upstreamTimeout, group: group, logger: logger)
        self.logger = logger
        logger.info(
            "DNS server listening",
            metadata: ["host": "\(configuration.host)", "port": "\(boundPort)", "upstreams": "\(upstreams.map(\.description))"])
    }

    /// Replaces the table: the next query sees exactly these processes and static names.
    public func update(entries: [DiscoveryEntry], staticNames: [String: [String]] = [:]) {
        let new = DiscoveryTable(entries: entries, staticNames: staticNames, ttl: configuration.ttl)
        table.withLock { $0 = new }
    }

    /// The table queries are answered from now.
    public var currentTable: DiscoveryTable {
        table.withLock { $0 }
    }

    /// Serves queries until the task is cancelled, then closes both listeners and returns once
    /// they are closed (their sockets too: the port is free when it returns).
    /// Call it once. Throws only if a listener fails while not cancelled.
    public func run() async throws {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await self.serveUDP() }
                group.addTask { try await self.serveTCP() }
            }
        } catch where Task.isCancelled {
            // Cancellation ends the listeners' streams with an error; that is the normal way out.
        }
        await Self.close(udpChannel.channel)
        await Self.close(tcpChannel.channel)
        logger.info("DNS server stopped", metadata: ["port": "\(port)"])
    }

    /// Closes `channel` (if it is not closed yet) and waits until it is: on the error path,
    /// `executeThenClose` does not wait when the channel was closing already.
    private static func close(_ channel: any Channel) async {
        channel.close(promise: nil)
        // The close future is never failed; it completes once the socket is closed.
        try? await channel.closeFuture.get()
    }

    private func serveUDP() async throws {
        try await udpChannel.executeThenClose { inbound, outbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await datagram in inbound {
                    guard self.admit() else { continue }
                    group.addTask {
                        defer { self.release() }
                        guard let response = await self.respond(
                                to: Array(datagram.data.readableBytesView), overTCP: false, from: datagram.remoteAddress)
                        else { return }
                        try? await outbound.write(
                            AddressedEnvelope(remoteAddress: datagram.remoteAddress, data: ByteBuffer(bytes: response)))
                    }
                }
            }
        }
    }

    private func serveTCP() async throws {
        try await tcpChannel.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    guard self.admit() else {
                        try? await connection.channel.close()
                        continue
                    }
                    group.addTask {
                        defer { self.release() }
                        let client = connection.channel.remoteAddress
                        try? await connection.executeThenClose { frames, outbound in
                            for try await frame in frames {
                                guard
                                    let response = await self.respond(
                                        to: Array(frame.readableBytesView), overTCP: true, from: client)
                                else { continue }
                                try await outbound.write(ByteBuffer(bytes: response))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether one more query or connection may be served now; a `true` must be paired with `release()`.
    private func admit() -> Bool {
        if inFlight.add(1, ordering: .relaxed).newValue <= configuration.maxConcurrentQueries { return true }
        release()
        logger.debug("Too many DNS queries at once, dropping one")
        return false
    }

    private func release() {
        inFlight.subtract(1, ordering: .relaxed)
    }
}
