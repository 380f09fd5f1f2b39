import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The header rewriting between client and backend: hop-by-hop headers dropped, `X-Forwarded-*`
/// and `X-Request-Id` set. Pure functions, tested without I/O.
enum ForwardedHeaders {
    /// Headers that describe one connection, not the message (RFC 9110 §7.6.1). Framing headers
    /// are re-created by the codecs.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The client's `X-Request-Id` when it is 20–200 characters of `[A-Za-z0-9+/=-]`, else a new UUID.
    static func requestID(from headers: HTTPHeaders) -> String {
        if let given = headers.first(name: "x-request-id"), isValidRequestID(given) { return given }
        return UUID().uuidString.lowercased()
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
    static func backendRequest(
        _ head: HTTPRequestHead, requestID: String, clientAddress: String?, proto: String, port: String, upgrade: Bool
    ) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 4)
        let nominated = nominatedHopByHop(head.headers)
        var forwardedFor: String?
        for (name, value) in head.headers {
            let lowered = name.lowercased()
            switch lowered {
            case "x-forwarded-for":
                forwardedFor = forwardedFor.map { "\($0), \(value)" } ?? value
                continue
            case "x-forwarded-proto", "x-forwarded-port", "x-request-id":
                continue
            default:
                if hopByHop.contains(lowered) || nominated.contains(lowered) { continue }
            }
            headers.add(name: name, value: value)
        }
        if upgrade, let protocols = head.headers.first(name: "upgrade") {
            headers.add(name: "Connection", value: "upgrade")
            headers.add(name: "Upgrade", value: protocols)
        }
        if let clientAddress {
            headers.add(name: "X-Forwarded-For", value: forwardedFor.map { "\($0), \(clientAddress)" } ?? clientAddress)
        } else if let forwardedFor {
            headers.add(name: "X-Forwarded-For", value: forwardedFor)
        }
        headers.add(name: "X-Forwarded-Proto", value: proto)
        headers.add(name: "X-Forwarded-Port", value: port)
        headers.add(name: "X-Request-Id", value: requestID)
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }

    /// The response headers sent to the client: hop-by-hop headers removed (kept for a 101) and
    /// `X-Request-Id` set.
    static func clientResponseHeaders(_ backendHeaders: HTTPHeaders, requestID: String, switching: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(backendHeaders.count + 1)
        let nominated = switching ? [] : nominatedHopByHop(backendHeaders)
        for (name, value) in backendHeaders {
            let lowered = name.lowercased()
            if lowered == "x-request-id" { continue }
            if switching, lowered == "connection" || lowered == "upgrade" {
                headers.add(name: name, value: value)
                continue
            }
            if hopByHop.contains(lowered) || nominated.contains(lowered) { continue }
            headers.add(name: name, value: value)
        }
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }

    /// Header names listed in `Connection` (they are hop-by-hop too).
    private static func nominatedHopByHop(_ headers: HTTPHeaders) -> [String] {
        let tokens = headers[canonicalForm: "connection"]
        if tokens.isEmpty { return [] }
        return tokens.map { $0.lowercased() }
    }
}
