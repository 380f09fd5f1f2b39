// Turning one query's bytes into the response's bytes.

import NIOCore

extension DNSServer {
    /// The largest UDP response sent, whatever a client's EDNS size says.
    static let maxUDPPayloadSize = 4096

    /// The response to `bytes` from `client`, or nil to stay silent (a response sent to us, a
    /// packet too short to carry an ID). Never throws: malformed queries get FORMERR, upstream
    /// trouble SERVFAIL. A client the audience does not know sees no app's names.
    func respond(to bytes: [UInt8], overTCP: Bool, from client: SocketAddress?) async -> [UInt8]? {
        let query: DNSMessage
        do {
            query = try DNSMessage(bytes: bytes)
        } catch {
            return Self.formatError(for: bytes)
        }
        guard !query.header.isResponse else { return nil }
        let limit = overTCP ? 0xFFFF : min(query.acceptedUDPPayloadSize, Self.maxUDPPayloadSize)
        guard query.header.opcode == 0 else { return query.response(.notImplemented).encoded(fitting: limit) }
        guard query.questions.count == 1 else { return query.response(.formatError).encoded(fitting: limit) }
        if let answer = currentTable.answer(query, visibleApps: visibleApps(to: client)) {
            return answer.encoded(fitting: limit)
        }
        guard let reply = await resolver.resolve(bytes, overTCP: overTCP) else {
            logger.debug("No upstream answered", metadata: ["name": "\(query.questions[0].name)"])
            return query.response(.serverFailure).encoded(fitting: limit)
        }
        if reply.count <= limit { return reply }
        // Fetched over TCP but too big for this UDP client: keep the upstream's header, cut the rest.
        guard let message = try? DNSMessage(bytes: reply) else { return query.response(.serverFailure).encoded(fitting: limit) }
        return message.truncated.encoded()
    }

    /// The apps whose names `client` may see: nil (all) without an audience.
    private func visibleApps(to client: SocketAddress?) -> Set<String>? {
        guard let audience else { return nil }
        guard let address = client?.ipAddress else { return [] }
        return audience.visibleApps(from: address)
    }

    /// FORMERR for a query whose header can be read, nothing otherwise.
    private static func formatError(for bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= DNSMessage.headerLength, bytes[2] & 0x80 == 0 else { return nil }
        var header = DNSHeader(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        header.isResponse = true
        header.opcode = (bytes[2] >> 3) & 0x0F
        header.responseCode = .formatError
        return DNSMessage(header: header).encoded()
    }
}
