/// Reads a DNS message's bytes with bounds checks everywhere: malformed input throws, never traps.
struct DNSReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readUInt8() throws(DiscoveryError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed("the message ends early", at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DiscoveryError) -> UInt16 {
        let high = try readUInt8()
        let low = try readUInt8()
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func readUInt32() throws(DiscoveryError) -> UInt32 {
        let high = try readUInt16()
        let low = try readUInt16()
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func readBytes(_ count: Int) throws(DiscoveryError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw .malformed("the message ends early", at: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a possibly compressed name. Every pointer must lead strictly before the run of labels
    /// it ends, so a chain of pointers always terminates (no loops), and the name is capped at 255 bytes.
    mutating func readName() throws(DiscoveryError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var runStart = offset
        var resumeAt: Int?
        while true {
            guard position < bytes.count else { throw .malformed("a name runs past the end", at: position) }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else { throw .malformed("a name pointer is cut off", at: position) }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < runStart else { throw .malformed("a name pointer does not point backwards", at: position) }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                runStart = target
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return DNSName(validLabels: labels)
                }
                guard position + 1 + length <= bytes.count else { throw .malformed("a label runs past the end", at: position) }
                wireLength += length + 1
                guard wireLength <= DNSName.maxWireLength else { throw .malformed("a name is longer than 255 bytes", at: position) }
                labels.append(Array(bytes[position + 1..<position + 1 + length]))
                position += 1 + length
            default:
                throw .malformed("a label has an unknown type", at: position)
            }
        }
    }
}
