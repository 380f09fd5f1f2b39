/// The fields of an SOA record (RFC 1035 §3.3.13).
public struct DNSStartOfAuthority: Hashable, Sendable {
    /// The primary name server.
    public var primary: DNSName
    /// The mailbox of the person responsible, as a name.
    public var mailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// How long resolvers may cache a negative answer (RFC 2308).
    public var minimum: UInt32

    public init(
        primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
        minimum: UInt32
    ) {
        self.primary = primary
        self.mailbox = mailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}
