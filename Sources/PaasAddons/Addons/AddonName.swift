/// The name of an add-on, such as `mysql-shapely-12345`: `^[a-z][a-z0-9-]{2,40}$`, no trailing
/// dash and no double dash.
///
/// It names the add-on's database, user and directory, so the rule keeps it a safe identifier
/// for every server (dashes become underscores in SQL identifiers; underscores are not allowed
/// in names, so the mapping never merges two names).
public struct AddonName: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The validated name.
    public let rawValue: String

    /// The rule a valid name follows, in words, for error messages.
    public static let rule =
        "Add-on names start with a lowercase letter, contain only lowercase letters, digits and single dashes, do not end with a dash, and are 3 to 41 characters long."

    /// Creates a name, or returns nil when `rawValue` breaks the rule.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Validates a user-chosen name (`--as NAME`), throwing `invalid_addon_name` when it breaks the rule.
    public static func validated(_ rawValue: String) throws -> AddonName {
        guard let name = AddonName(rawValue) else { throw AddonError.invalidName(rawValue) }
        return name
    }

    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (3...41).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
            scalars.last != "-", !name.contains("--")
        else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The name as an SQL identifier (database and user name): dashes become underscores.
    public var identifier: String { rawValue.replacingDashes() }

    public var description: String { rawValue }

    public static func < (lhs: AddonName, rhs: AddonName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(String.self)
        guard let name = AddonName(value) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.rule)
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "-" ? "_" : $0 }))
    }
}
