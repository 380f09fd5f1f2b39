import Logging
import NIOCore
import NIOPosix

/// Forwards queries discovery does not own to the host's resolvers: UDP first, TCP when the
/// answer is truncated or the client itself came over TCP; one upstream after another on failure.
/// Each exchange (UDP, then the TCP retry) has the whole `timeout` of its own.
struct UpstreamResolver: Sendable {
    let upstreams: [SocketAddress]
    let timeout: Duration
    let group: any EventLoopGroup
    let logger: Logger

    /// The first upstream answer to `query`, carrying the query's own ID, or nil when no upstream
    /// answered in time. Upstreams see a fresh random ID, so a client's guessable ID does not
    /// make forged upstream answers easier.
    func resolve(_ query: [UInt8], overTCP: Bool) async -> [UInt8]? {
        guard query.count >= DNSMessage.headerLength else { return nil }
        var outgoing = query
        outgoing[0] = UInt8.random(in: 0...255)
        outgoing[1] = UInt8.random(in: 0...255)
        for upstream in upstreams {
            if Task.isCancelled { return nil }
            do {
                var reply: [UInt8]
                if overTCP {
                    reply = try await exchangeTCP(outgoing, with: upstream)
                } else {
                    reply = try await exchangeUDP(outgoing, with: upstream)
                }
                if !overTCP, reply[2] & 0x02 != 0 {
                    // Truncated: the whole answer over TCP. Failing that, the truncated one is
                    // still an answer: it tells the client to ask over TCP itself, where a
                    // SERVFAIL would make it give up.
                    do {
                        reply = try await exchangeTCP(outgoing, with: upstream)
                    } catch {
                        logger.debug(
                            "Upstream resolver failed over TCP; passing on its truncated answer",
                            metadata: ["upstream": "\(upstream)", "error": "\(error)"])
                    }
                }
                reply[0] = query[0]
                reply[1] = query[1]
                return reply
            } catch {
                logger.debug("Upstream resolver failed", metadata: ["upstream": "\(upstream)", "error": "\(error)"])
            }
        }
        return nil
    }

    private func exchangeUDP(_ query: [UInt8], with upstream: SocketAddress) async throws -> [UInt8] {
        let channel = try await DatagramBootstrap(group: group)
            .bind(host: upstream.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await exchange(on: channel) { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: upstream, data: ByteBuffer(bytes: query)))
            for try await envelope in inbound where envelope.remoteAddress == upstream {
                if let reply = Self.reply(envelope.data, to: query) { return reply }
            }
            return nil
        }
    }

    private func exchangeTCP(_ query: [UInt8], with upstream: SocketAddress) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout.timeAmount)
            .connect(to: upstream) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(DNSFrameDecoder()), MessageToByteHandler(DNSFrameEncoder()),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await exchange(on: channel) { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: query))
            for try await frame in inbound {
                if let reply = Self.reply(frame, to: query) { return reply }
            }
            return nil
        }
    }

    /// Runs `body` on `channel`, closing the channel when the timeout passes (which ends the
    /// body's wait for a reply).
    private func exchange<Inbound: Sendable, Outbound: Sendable>(
        on channel: NIOAsyncChannel<Inbound, Outbound>,
        _ body: (NIOAsyncChannelInboundStream<Inbound>, NIOAsyncChannelOutboundWriter<Outbound>) async throws -> [UInt8]?
    ) async throws -> [UInt8] {
        let underlying = channel.channel
        let deadline = underlying.eventLoop.scheduleTask(in: timeout.timeAmount) { underlying.close(promise: nil) }
        defer { deadline.cancel() }
        guard let reply = try await channel.executeThenClose(body) else { throw UpstreamTimeout() }
        return reply
    }

    /// The bytes of `buffer` if they are a response to `query` (same ID), else nil.
    private static func reply(_ buffer: ByteBuffer, to query: [UInt8]) -> [UInt8]? {
        let bytes = Array(buffer.readableBytesView)
        guard bytes.count >= DNSMessage.headerLength, bytes[0] == query[0], bytes[1] == query[1], bytes[2] & 0x80 != 0
        else { return nil }
        return bytes
    }

    /// Parses `host`, `host:port` or `[v6]:port` (port 53 by default) into a socket address.
    static func address(_ text: String) throws(DiscoveryError) -> SocketAddress {
        var host = text
        var port = 53
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = Int(rest.dropFirst()) else { throw .invalidUpstream(text) }
                port = value
            } else if !rest.isEmpty {
                throw .invalidUpstream(text)
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = Int(text[text.index(after: colon)...]) else { throw .invalidUpstream(text) }
            port = value
        }
        guard (1...65535).contains(port) else { throw .invalidUpstream(text) }
        do {
            return try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw .invalidUpstream(text, cause: error)
        }
    }
}

/// No upstream answer arrived before the timeout.
struct UpstreamTimeout: Error {}
