/// The kind of an add-on, which names the provider that makes it: `mysql`, `postgresql`, `redis`.
///
/// Open for extension: a new provider declares its own kind.
public struct AddonKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The kind as users type it (`paas addons:add mysql`).
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// MariaDB databases, exposed as `MYSQL_URL`.
    public static let mysql = AddonKind(rawValue: "mysql")
    /// PostgreSQL databases, exposed as `POSTGRES_URL`.
    public static let postgresql = AddonKind(rawValue: "postgresql")
    /// Redis instances, exposed as `REDIS_URL`.
    public static let redis = AddonKind(rawValue: "redis")

    public var description: String { rawValue }

    public static func < (lhs: AddonKind, rhs: AddonKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
