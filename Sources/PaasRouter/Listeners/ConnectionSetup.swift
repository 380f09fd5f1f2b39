import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL

/// The pipelines of accepted connections: plain HTTP/1.1, and HTTPS with HTTP/2 or HTTP/1.1 by
/// ALPN. Each HTTP/2 stream gets its own ``ProxyHandler`` behind an HTTP/1 codec.
enum ConnectionSetup {
    static func http1(_ channel: Channel, services: RouterServices, secure: Bool) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = services.configuration.maxHeaderBytes
        limits.maxHeaderFieldSize = services.configuration.maxHeaderBytes
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(
            ProxyHandler(services: services, listener: .init(isSecure: secure, isHTTP2: false)))
    }

    static func https(_ channel: Channel, services: RouterServices, tls: NIOSSLContext) -> EventLoopFuture<Void> {
        do {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return channel.configureHTTP2SecureUpgrade(
            h2ChannelConfigurator: { channel in
                channel.configureHTTP2Pipeline(mode: .server, inboundStreamInitializer: { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandlers([
                            HTTP2FramePayloadToHTTP1ServerCodec(),
                            ProxyHandler(services: services, listener: .init(isSecure: true, isHTTP2: true)),
                        ])
                    }
                }).map { _ in }
            },
            http1ChannelConfigurator: { channel in
                channel.eventLoop.makeCompletedFuture { try http1(channel, services: services, secure: true) }
            })
    }

    /// The TLS context of the HTTPS listener: ALPN `h2` and `http/1.1`, and the certificate
    /// picked per connection from the current route snapshot by SNI.
    static func tlsContext(services: RouterServices) throws -> NIOSSLContext {
        let fallback = services.snapshot.certificates.fallback
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: fallback.chain.map { .certificate($0) }, privateKey: .privateKey(fallback.key))
        configuration.applicationProtocols = ["h2", "http/1.1"]
        configuration.sslContextCallback = { values, promise in
            let entry = services.snapshot.certificates.entry(forServerName: values.serverHostname)
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = entry.chain.map { .certificate($0) }
            override.privateKey = .privateKey(entry.key)
            promise.succeed(override)
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
