#if canImport(Glibc)
import Glibc
#endif

/// The RDATA of a record. Types discovery does not interpret stay raw bytes, exactly as received;
/// they are never re-encoded at another offset, so compressed names inside them stay valid.
public enum DNSRecordData: Hashable, Sendable {
    /// An IPv4 address, 4 bytes in network order.
    case a([UInt8])
    /// An IPv6 address, 16 bytes in network order.
    case aaaa([UInt8])
    /// A service location (RFC 2782).
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    /// The start of authority of a zone.
    case soa(DNSStartOfAuthority)
    /// Any other type, as on the wire.
    case raw([UInt8])

    /// An A or AAAA record's data from an address in text form, or nil if `text` is neither.
    public static func address(_ text: String) -> DNSRecordData? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return .a(withUnsafeBytes(of: &v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return .aaaa(withUnsafeBytes(of: &v6) { Array($0) })
        }
        return nil
    }
}
