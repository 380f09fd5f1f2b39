/// One resource record of the answer, authority or additional section.
public struct DNSResourceRecord: Hashable, Sendable {
    /// The class IN, the only one discovery serves.
    public static let internetClass: UInt16 = 1

    public var name: DNSName
    public var type: DNSRecordType
    /// The class; for OPT, the sender's UDP payload size (RFC 6891).
    public var recordClass: UInt16
    /// Seconds a resolver may cache the record; for OPT, the extended RCODE and flags.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(
        name: DNSName, type: DNSRecordType, recordClass: UInt16 = internetClass, ttl: UInt32, data: DNSRecordData
    ) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// A record whose type follows from its data (A, AAAA, SRV or SOA); `.raw` data has no type of
    /// its own (it gets type 0), so give it one with the full initializer.
    public init(name: DNSName, ttl: UInt32, data: DNSRecordData) {
        let type: DNSRecordType =
            switch data {
            case .a: .a
            case .aaaa: .aaaa
            case .srv: .srv
            case .soa: .soa
            case .raw: DNSRecordType(rawValue: 0)
            }
        self.init(name: name, type: type, ttl: ttl, data: data)
    }

    /// An EDNS OPT pseudo-record advertising `payloadSize` bytes over UDP.
    public static func opt(payloadSize: UInt16) -> DNSResourceRecord {
        DNSResourceRecord(name: .root, type: .opt, recordClass: payloadSize, ttl: 0, data: .raw([]))
    }
}
