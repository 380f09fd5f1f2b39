import Crypto

/// Content address of a blob: lowercase hex sha256 of its bytes.
///
/// Encodes as a bare JSON string (`"9f86d0…"`), like the platform's other typed IDs.
public struct BlobID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 64 lowercase hexadecimal digits.
    public let sha256: String

    /// Validates `sha256` as 64 hexadecimal digits; upper-case digits are accepted and lowered.
    public init?(sha256: String) {
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy(\.isHexDigit) else { return nil }
        self.sha256 = sha256.lowercased()
    }

    /// The ID of a finished digest.
    init(digest: SHA256.Digest) {
        self.sha256 = Hex.encode(digest)
    }

    public var description: String { "sha256:\(sha256)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = BlobID(sha256: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "A blob ID is 64 hexadecimal digits (a sha256), not '\(text.prefix(80))'.")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sha256)
    }
}

/// Lowercase hexadecimal, for digests and signatures.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
