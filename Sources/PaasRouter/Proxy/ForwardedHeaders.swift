import NIOHTTP1

/// The header rewriting between client and backend: hop-by-hop headers dropped, `X-Forwarded-*`
/// and `X-Request-Id` set. Pure functions, tested without I/O.
enum ForwardedHeaders {
    /// Headers that describe one connection, not the message (RFC 9110 §7.6.1). Framing headers
    /// are re-created by the codecs.
    static let hopByHop: [String] = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The client's `X-Request-Id` when it is 20–200 characters of `[A-Za-z0-9+/=-]`, else a new
    /// random (version 4) UUID in lowercase.
    static func requestID(from headers: HTTPHeaders) -> String {
        if let given = headers.first(name: "x-request-id"), isValidRequestID(given) { return given }
        var generator = SystemRandomNumberGenerator()
        let high = (generator.next() as UInt64) & 0xFFFF_FFFF_FFFF_0FFF | 0x4000
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            for (position, nibble) in (0..<32).enumerated() {
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                let word = nibble < 16 ? high : low
                buffer[index] = digits[Int((word >> UInt64(60 - (nibble % 16) * 4)) & 0xF)]
                index += 1
            }
            return index
        }
    }

    static func isValidRequestID(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (20...200).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
                UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }

    /// Whether the request asks to switch protocols (`Connection: upgrade` and `Upgrade`).
    static func isUpgradeRequest(_ headers: HTTPHeaders) -> Bool {
        headers.contains(name: "upgrade") && headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    /// The request head sent to a backend: HTTP/1.1, hop-by-hop headers removed (kept for an
    /// upgrade), the client appended to `X-Forwarded-For`, and the proto, port and request id set.
    /// Edits the client's headers in place (no per-header copies: this is the hot path).
    static func backendRequest(
        _ head: HTTPRequestHead, requestID: String, clientAddress: String?, proto: String, port: String, upgrade: Bool
    ) -> HTTPRequestHead {
        var headers = head.headers
        let upgradeProtocols = upgrade ? headers.first(name: "upgrade") : nil
        removeHopByHop(&headers)
        let forwardedFor = headers[canonicalForm: "x-forwarded-for"]
        headers.remove(name: "x-forwarded-for")
        headers.remove(name: "x-forwarded-proto")
        headers.remove(name: "x-forwarded-port")
        headers.remove(name: "x-request-id")
        if let upgradeProtocols {
            headers.add(name: "Connection", value: "upgrade")
            headers.add(name: "Upgrade", value: upgradeProtocols)
        }
        var chain = forwardedFor.joined(separator: ", ")
        if let clientAddress { chain = chain.isEmpty ? clientAddress : "\(chain), \(clientAddress)" }
        if !chain.isEmpty { headers.add(name: "X-Forwarded-For", value: chain) }
        headers.add(name: "X-Forwarded-Proto", value: proto)
        headers.add(name: "X-Forwarded-Port", value: port)
        headers.add(name: "X-Request-Id", value: requestID)
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }

    /// The response headers sent to the client: hop-by-hop headers removed (kept for a 101) and
    /// `X-Request-Id` set.
    static func clientResponseHeaders(_ backendHeaders: HTTPHeaders, requestID: String, switching: Bool) -> HTTPHeaders {
        var headers = backendHeaders
        if !switching { removeHopByHop(&headers) }
        headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        return headers
    }

    private static func removeHopByHop(_ headers: inout HTTPHeaders) {
        for name in nominatedHopByHop(headers) { headers.remove(name: name) }
        for name in hopByHop { headers.remove(name: name) }
    }

    /// Header names listed in `Connection` (they are hop-by-hop too).
    private static func nominatedHopByHop(_ headers: HTTPHeaders) -> [String] {
        let tokens = headers[canonicalForm: "connection"]
        if tokens.isEmpty { return [] }
        return tokens.map { $0.lowercased() }
    }
}
