/// Builds a DNS message's bytes, compressing names against the ones already written.
struct DNSWriter {
    private(set) var bytes: [UInt8] = []
    private let compresses: Bool
    /// Where each name suffix already written starts; pointers can reach offsets below 0x4000.
    private var suffixOffsets: [ArraySlice<[UInt8]>: Int] = [:]

    init(compresses: Bool) {
        self.compresses = compresses
    }

    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func write(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func write(_ value: UInt32) {
        write(UInt16(value >> 16))
        write(UInt16(value & 0xFFFF))
    }

    mutating func write(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    mutating func write(_ name: DNSName) {
        let labels = name.labels
        for index in labels.indices {
            let suffix = labels[index...]
            if compresses, let target = suffixOffsets[suffix] {
                write(UInt16(0xC000) | UInt16(target))
                return
            }
            if compresses, bytes.count < 0x4000 { suffixOffsets[suffix] = bytes.count }
            write(UInt8(labels[index].count))
            write(labels[index])
        }
        write(UInt8(0))
    }

    /// Writes a 16-bit length, then what `body` writes, then fills the length in.
    mutating func writeLengthPrefixed(_ body: (inout DNSWriter) -> Void) {
        let start = bytes.count
        write(UInt16(0))
        body(&self)
        let length = bytes.count - start - 2
        bytes[start] = UInt8(length >> 8)
        bytes[start + 1] = UInt8(length & 0xFF)
    }
}
