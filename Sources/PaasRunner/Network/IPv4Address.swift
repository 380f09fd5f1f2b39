/// An IPv4 address, held as its 32-bit value in host byte order.
public struct IPv4Address: Sendable, Hashable, Comparable, LosslessStringConvertible {
    /// The address as a number: `10.213.0.1` is `0x0AD5_0001`.
    public var value: UInt32

    /// The address whose numeric value is `value`.
    public init(_ value: UInt32) {
        self.value = value
    }

    /// The address `a.b.c.d`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad notation (`10.213.0.1`); nil for anything else.
    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    public var description: String {
        [24, 16, 8, 0].map { String(value >> $0 & 0xFF) }.joined(separator: ".")
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

extension Character {
    /// Whether this is one of `0` through `9`.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
