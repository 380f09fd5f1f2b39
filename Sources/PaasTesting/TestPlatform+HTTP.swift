#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A raw HTTP answer, for tests that check statuses, headers and bodies byte for byte.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// How a test request authenticates.
public enum TestAuthorization: Sendable {
    /// The platform's admin token.
    case admin
    /// No `Authorization` header.
    case none
    /// A literal `Authorization` header value.
    case header(String)
}

extension TestPlatform {
    /// Sends a request to the API as-is and returns the raw answer (no error mapping).
    public func request(
        _ method: String, _ path: String, json: String? = nil, body: [UInt8]? = nil,
        authorization: TestAuthorization = .admin
    ) async throws -> RawResponse {
        var request = HTTPClientRequest(url: apiURL + path)
        request.method = HTTPMethod(rawValue: method)
        switch authorization {
        case .admin: request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        case .none: break
        case .header(let value): request.headers.add(name: "Authorization", value: value)
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return RawResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(bytes.readableBytesView))
    }
}
