// Building responses to a query, and cutting them to fit a UDP payload.

extension DNSMessage {
    /// The UDP payload size discovery advertises in its own OPT records (the DNS Flag Day 2020 value).
    public static let advertisedUDPPayloadSize: UInt16 = 1232

    /// An empty response to this query: same ID, opcode, RD and question; QR and RA set;
    /// an OPT record when the query had one.
    public func response(_ code: DNSResponseCode = .noError) -> DNSMessage {
        var header = DNSHeader(id: self.header.id)
        header.isResponse = true
        header.opcode = self.header.opcode
        header.recursionDesired = self.header.recursionDesired
        header.recursionAvailable = true
        header.responseCode = code
        let hasOPT = additionals.contains { $0.type == .opt }
        return DNSMessage(
            header: header, questions: questions,
            additionals: hasOPT ? [.opt(payloadSize: Self.advertisedUDPPayloadSize)] : [])
    }

    /// The encoded message if it fits in `limit` bytes; otherwise the header and question alone
    /// with TC set (and OPT kept), which tells the client to ask again over TCP.
    public func encoded(fitting limit: Int) -> [UInt8] {
        let bytes = encoded()
        return bytes.count > limit ? truncated.encoded() : bytes
    }

    /// The header and question alone with TC set (and OPT kept): what a UDP client gets when the
    /// whole answer does not fit.
    public var truncated: DNSMessage {
        var truncated = self
        truncated.header.isTruncated = true
        truncated.answers = []
        truncated.authorities = []
        truncated.additionals = additionals.filter { $0.type == .opt }
        return truncated
    }
}
