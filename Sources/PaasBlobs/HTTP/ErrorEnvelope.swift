#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The platform's JSON error body:
/// `{"error":{"code":"blob_not_found","message":"…","retryable":false}}`.
struct ErrorEnvelope: Codable, Sendable {
    struct Body: Codable, Sendable {
        var code: String
        var message: String
        var retryable: Bool
    }

    var error: Body

    init(_ error: BlobError) {
        self.error = Body(code: error.code, message: error.message, retryable: error.retryable)
    }

    init(code: String, message: String, retryable: Bool = false) {
        self.error = Body(code: code, message: message, retryable: retryable)
    }

    /// The envelope as JSON bytes.
    func encoded() -> [UInt8] {
        // Encoding three plain fields cannot fail.
        (try? Array(JSONEncoder().encode(self))) ?? Array(#"{"error":{"code":"internal","message":"","retryable":false}}"#.utf8)
    }

    /// Decodes an envelope, or nil when `bytes` are not one (a proxy's HTML page, say).
    static func decode(_ bytes: [UInt8]) -> ErrorEnvelope? {
        try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(bytes))
    }
}
