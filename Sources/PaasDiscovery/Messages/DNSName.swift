/// A domain name as DNS carries it: a sequence of labels of raw bytes, the root last and implied.
///
/// Comparison is exact; `lowercased` gives the case-insensitive key (RFC 4343: ASCII letters only).
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The labels, most specific first (`www`, `example`, `com`); empty for the root.
    public var labels: [[UInt8]]

    /// The longest label and the longest name on the wire (RFC 1035 §2.3.4).
    static let maxLabelLength = 63
    static let maxWireLength = 255

    /// The root name `.`.
    public static let root = DNSName(validLabels: [])

    /// Parses dotted text (`web.app.internal`, trailing dot optional).
    public init(_ text: String) throws(DiscoveryError) {
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        let labels = trimmed.isEmpty ? [] : trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        try self.init(labels: labels)
    }

    /// A name from labels, checked against DNS's length limits.
    public init(labels: [[UInt8]]) throws(DiscoveryError) {
        let description = labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
        for label in labels {
            if label.isEmpty { throw .invalidName(description, "it has an empty label") }
            if label.count > Self.maxLabelLength { throw .invalidName(description, "a label is longer than 63 bytes") }
        }
        if labels.reduce(1, { $0 + $1.count + 1 }) > Self.maxWireLength {
            throw .invalidName(description, "it is longer than 255 bytes")
        }
        self.labels = labels
    }

    init(validLabels: [[UInt8]]) {
        self.labels = validLabels
    }

    /// The same name with ASCII letters in lower case: the key for case-insensitive lookups.
    public var lowercased: DNSName {
        DNSName(validLabels: labels.map { $0.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 } })
    }

    /// Whether this name is `zone` or lies below it, comparing exactly (lower-case both first).
    public func isWithin(_ zone: DNSName) -> Bool {
        labels.count >= zone.labels.count && Array(labels.suffix(zone.labels.count)) == zone.labels
    }

    /// The name one level up (`app.internal` for `web.app.internal`); the root for the root.
    public var parent: DNSName {
        DNSName(validLabels: Array(labels.dropFirst()))
    }

    /// Dotted text with a trailing dot: `web.app.internal.`.
    public var description: String {
        labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".") + "."
    }
}
