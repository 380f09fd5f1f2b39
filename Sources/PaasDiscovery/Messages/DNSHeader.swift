/// The fixed 12-byte header of a DNS message, minus the section counts (the message's arrays
/// give those). Flags are kept as the raw 16 bits so that unknown bits round-trip.
public struct DNSHeader: Hashable, Sendable {
    /// The query ID, echoed in the response.
    public var id: UInt16
    /// QR, OPCODE, AA, TC, RD, RA, Z, AD, CD and RCODE, as on the wire.
    public var flags: UInt16

    public init(id: UInt16, flags: UInt16 = 0) {
        self.id = id
        self.flags = flags
    }

    /// QR: a response rather than a query.
    public var isResponse: Bool {
        get { flag(15) }
        set { setFlag(15, newValue) }
    }

    /// OPCODE: 0 for a standard query.
    public var opcode: UInt8 {
        get { UInt8((flags >> 11) & 0x0F) }
        set { flags = (flags & ~(0x0F << 11)) | (UInt16(newValue & 0x0F) << 11) }
    }

    /// AA: the answer comes from the zone's own data.
    public var isAuthoritative: Bool {
        get { flag(10) }
        set { setFlag(10, newValue) }
    }

    /// TC: the message was cut to fit; ask again over TCP.
    public var isTruncated: Bool {
        get { flag(9) }
        set { setFlag(9, newValue) }
    }

    /// RD: the client wants recursion.
    public var recursionDesired: Bool {
        get { flag(8) }
        set { setFlag(8, newValue) }
    }

    /// RA: the server offers recursion.
    public var recursionAvailable: Bool {
        get { flag(7) }
        set { setFlag(7, newValue) }
    }

    /// RCODE.
    public var responseCode: DNSResponseCode {
        get { DNSResponseCode(rawValue: UInt8(flags & 0x0F)) }
        set { flags = (flags & ~0x0F) | UInt16(newValue.rawValue) }
    }

    private func flag(_ bit: Int) -> Bool { flags & (1 << bit) != 0 }

    private mutating func setFlag(_ bit: Int, _ on: Bool) {
        if on { flags |= 1 << bit } else { flags &= ~(1 << bit) }
    }
}
