/// The RCODE of a response header (RFC 1035 §4.1.1).
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    /// No error (also NODATA when there are no answers).
    public static let noError = DNSResponseCode(rawValue: 0)
    /// The query could not be parsed.
    public static let formatError = DNSResponseCode(rawValue: 1)
    /// The server could not answer (here: every upstream failed).
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    /// The name does not exist (NXDOMAIN).
    public static let nameError = DNSResponseCode(rawValue: 3)
    /// The server does not support this kind of query (an opcode other than QUERY).
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    /// The server refuses the query.
    public static let refused = DNSResponseCode(rawValue: 5)
}
