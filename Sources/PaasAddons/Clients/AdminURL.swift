/// An administrator's URL of an existing server (`mysql://root:secret@db.example:3306`,
/// `postgres://admin:secret@db.example:5432/postgres`), split into its parts.
///
/// `description` leaves the password out, so the URL can be logged.
public struct AdminURL: Sendable, Equatable, CustomStringConvertible {
    /// The scheme (`mysql`, `postgres`, `postgresql`).
    public var scheme: String
    /// The user name.
    public var user: String
    /// The password (percent-decoded).
    public var password: String
    /// The host name or address.
    public var host: String
    /// The port, or nil for the server's default.
    public var port: Int?
    /// The database in the path, if any.
    public var database: String?

    /// Parses `scheme://user:password@host[:port][/database]`; nil when it does not fit.
    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = String(text[..<schemeEnd.lowerBound])
        var rest = Substring(text[schemeEnd.upperBound...])
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        let userPart = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        user = Self.percentDecoded(String(userPart[0]))
        password = userPart.count > 1 ? Self.percentDecoded(String(userPart[1])) : ""
        let hostAndPort: Substring
        if let slash = rest.firstIndex(of: "/") {
            hostAndPort = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            database = path.isEmpty ? nil : String(path.prefix { $0 != "?" })
        } else {
            hostAndPort = rest
            database = nil
        }
        let hostParts = hostAndPort.split(separator: ":", maxSplits: 1)
        guard let first = hostParts.first, !user.isEmpty else { return nil }
        host = String(first)
        if hostParts.count > 1 {
            guard let number = Int(hostParts[1]), (1...65535).contains(number) else { return nil }
            port = number
        } else {
            port = nil
        }
    }

    public var description: String {
        "\(scheme)://\(user)@\(host)\(port.map { ":\($0)" } ?? "")\(database.map { "/\($0)" } ?? "")"
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
