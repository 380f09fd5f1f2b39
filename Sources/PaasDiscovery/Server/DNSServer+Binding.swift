import Logging
import NIOCore
import NIOPosix

// Opening the listeners and reading the upstream list.

extension DNSServer {
    /// How long a TCP client may stay silent before its connection is closed.
    static let tcpIdleTimeout = TimeAmount.seconds(10)

    /// Binds UDP, then TCP on the same port. With port 0 the kernel picks the UDP port, which may
    /// be taken for TCP; then both are closed and another is tried.
    static func bindBoth(
        _ configuration: DiscoveryConfiguration, group: any EventLoopGroup, logger: Logger
    ) async throws(DiscoveryError) -> (
        NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>,
        NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    ) {
        let attempts = configuration.port == 0 ? 20 : 1
        var attempt = 1
        while true {
            let udp = try await bindUDP(configuration, group: group, logger: logger)
            let port = udp.channel.localAddress?.port ?? configuration.port
            do throws(DiscoveryError) {
                return (udp, try await bindTCP(configuration.host, port: port, group: group, logger: logger))
            } catch {
                try? await udp.channel.close().get()
                if attempt >= attempts { throw error }
                attempt += 1
            }
        }
    }

    private static func bindUDP(
        _ configuration: DiscoveryConfiguration, group: any EventLoopGroup, logger: Logger
    ) async throws(DiscoveryError) -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> {
        do {
            // No SO_REUSEADDR: on Linux it would let a second server share the UDP port silently.
            return try await DatagramBootstrap(group: group)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ListenerErrorHandler(logger: logger))
                        return try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .bindFailed("UDP", host: configuration.host, port: configuration.port, cause: error)
        }
    }

    private static func bindTCP(
        _ host: String, port: Int, group: any EventLoopGroup, logger: Logger
    ) async throws(DiscoveryError) -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ListenerErrorHandler(logger: logger))
                    }
                }
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            IdleStateHandler(readTimeout: Self.tcpIdleTimeout), IdleConnectionCloser(),
                            ByteToMessageHandler(DNSFrameDecoder()), MessageToByteHandler(DNSFrameEncoder()),
                        ])
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .bindFailed("TCP", host: host, port: port, cause: error)
        }
    }

    /// The configured upstreams, else the host's resolv.conf (skipping lines that are not addresses).
    static func upstreams(_ configuration: DiscoveryConfiguration, logger: Logger) throws(DiscoveryError) -> [SocketAddress] {
        if let configured = configuration.upstreams {
            var addresses: [SocketAddress] = []
            for upstream in configured { addresses.append(try UpstreamResolver.address(upstream)) }
            return addresses
        }
        return ResolvConf.nameservers(atPath: configuration.resolvConfPath).compactMap { nameserver -> SocketAddress? in
            do {
                return try UpstreamResolver.address(nameserver)
            } catch {
                logger.warning("Skipping a nameserver that is not an address", metadata: ["nameserver": "\(nameserver)"])
                return nil
            }
        }
    }

    static func isUnspecified(_ host: String) -> Bool {
        host == "0.0.0.0" || host == "::" || host == "[::]"
    }
}
