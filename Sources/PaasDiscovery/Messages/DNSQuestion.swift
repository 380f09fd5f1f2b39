/// One entry of the question section: what is asked.
public struct DNSQuestion: Hashable, Sendable {
    public var name: DNSName
    public var type: DNSRecordType
    /// The class; 1 (IN) in practice.
    public var recordClass: UInt16

    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = DNSResourceRecord.internetClass) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}
