/// A DNS message (RFC 1035 §4): header, questions and the three record sections.
/// `init(bytes:)` parses (following compression pointers), `encoded()` writes.
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    /// The size of a DNS header on the wire.
    public static let headerLength = 12

    public init(
        header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// Parses a whole message; throws `dns_malformed_message` on anything that does not fit,
    /// including bytes left over after the last record.
    public init(bytes: [UInt8]) throws(DiscoveryError) {
        var reader = DNSReader(bytes)
        header = DNSHeader(id: try reader.readUInt16(), flags: try reader.readUInt16())
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())
        questions = []
        for _ in 0..<questionCount {
            let name = try reader.readName()
            questions.append(
                DNSQuestion(
                    name: name, type: DNSRecordType(rawValue: try reader.readUInt16()), recordClass: try reader.readUInt16()))
        }
        answers = try Self.readRecords(answerCount, from: &reader)
        authorities = try Self.readRecords(authorityCount, from: &reader)
        additionals = try Self.readRecords(additionalCount, from: &reader)
        guard reader.isAtEnd else { throw .malformed("bytes follow the last record", at: reader.offset) }
    }

    /// The message on the wire; names are compressed unless `compressing` is false.
    public func encoded(compressing: Bool = true) -> [UInt8] {
        var writer = DNSWriter(compresses: compressing)
        writer.write(header.id)
        writer.write(header.flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            writer.write(UInt16(clamping: count))
        }
        for question in questions {
            writer.write(question.name)
            writer.write(question.type.rawValue)
            writer.write(question.recordClass)
        }
        for record in answers + authorities + additionals {
            Self.write(record, to: &writer)
        }
        return writer.bytes
    }

    /// The UDP payload size the sender accepts: its EDNS OPT value (at least 512), else 512.
    public var acceptedUDPPayloadSize: Int {
        guard let opt = additionals.first(where: { $0.type == .opt }) else { return 512 }
        return max(512, Int(opt.recordClass))
    }

    private static func readRecords(_ count: Int, from reader: inout DNSReader) throws(DiscoveryError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        for _ in 0..<count {
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let recordClass = try reader.readUInt16()
            let ttl = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            let start = reader.offset
            let data = try readData(type, length: length, from: &reader)
            guard reader.offset == start + length else { throw .malformed("the data of a \(type) record has the wrong length", at: start) }
            records.append(DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data))
        }
        return records
    }

    private static func readData(_ type: DNSRecordType, length: Int, from reader: inout DNSReader) throws(DiscoveryError) -> DNSRecordData {
        switch type {
        case .a where length == 4:
            return .a(try reader.readBytes(4))
        case .aaaa where length == 16:
            return .aaaa(try reader.readBytes(16))
        case .srv:
            return .srv(
                priority: try reader.readUInt16(), weight: try reader.readUInt16(), port: try reader.readUInt16(),
                target: try reader.readName())
        case .soa:
            return .soa(
                DNSStartOfAuthority(
                    primary: try reader.readName(), mailbox: try reader.readName(), serial: try reader.readUInt32(),
                    refresh: try reader.readUInt32(), retry: try reader.readUInt32(), expire: try reader.readUInt32(),
                    minimum: try reader.readUInt32()))
        case .a, .aaaa:
            throw .malformed("an address record has \(length) bytes of data", at: reader.offset)
        default:
            return .raw(try reader.readBytes(length))
        }
    }

    private static func write(_ record: DNSResourceRecord, to writer: inout DNSWriter) {
        writer.write(record.name)
        writer.write(record.type.rawValue)
        writer.write(record.recordClass)
        writer.write(record.ttl)
        writer.writeLengthPrefixed { writer in
            switch record.data {
            case .a(let bytes), .aaaa(let bytes), .raw(let bytes):
                writer.write(bytes)
            case .srv(let priority, let weight, let port, let target):
                writer.write(priority)
                writer.write(weight)
                writer.write(port)
                // RFC 2782: the target is not compressed.
                for label in target.labels {
                    writer.write(UInt8(label.count))
                    writer.write(label)
                }
                writer.write(UInt8(0))
            case .soa(let soa):
                writer.write(soa.primary)
                writer.write(soa.mailbox)
                for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writer.write(value) }
            }
        }
    }
}
