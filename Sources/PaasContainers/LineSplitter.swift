/// Splits a byte stream into lines without their `\n` (and `\r\n`); a line longer than
/// `maxLength` bytes is cut into pieces, so that no output can stall the stream.
public struct LineSplitter: Sendable {
    /// The longest line handed out, in bytes.
    public var maxLength: Int
    private var pending: [UInt8] = []

    public init(maxLength: Int = 16 * 1024) {
        self.maxLength = maxLength
    }

    /// Adds bytes; returns the lines they complete.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(take())
            } else {
                pending.append(byte)
                if pending.count >= maxLength { lines.append(take()) }
            }
        }
        return lines
    }

    /// The last, unterminated line, if any.
    public mutating func finish() -> String? {
        pending.isEmpty ? nil : take()
    }

    private mutating func take() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
