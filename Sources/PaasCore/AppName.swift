/// The name of an app: `^[a-z][a-z0-9-]{1,29}$`, but not a reserved name.
///
/// It is also the app's host name under the platform domain, so it follows DNS label rules, and
/// its label under `internal.`, where `addons` names the add-on servers.
public struct AppName: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The validated name.
    public let rawValue: String

    /// The rule a valid name follows, in words, for error messages.
    public static let rule =
        "App names start with a lowercase letter and contain only lowercase letters, digits and dashes, 2 to 30 characters, "
        + "and are not one of: \(reserved.sorted().joined(separator: ", "))."

    /// Names the platform uses itself: `addons` in `mysql.addons.internal`.
    public static let reserved: Set<String> = ["addons"]

    /// Creates a name, or returns nil when `rawValue` breaks the rule.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (2...30).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
            !reserved.contains(name)
        else {
            return false
        }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A random readable name such as `misty-river-4821`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> AppName {
        let adjective = adjectives.randomElement(using: &generator)!
        let noun = nouns.randomElement(using: &generator)!
        let number = Int.random(in: 1000...9999, using: &generator)
        return AppName("\(adjective)-\(noun)-\(number)")!
    }

    /// A random readable name from the system's random source.
    public static func random() -> AppName {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public var description: String { rawValue }

    public static func < (lhs: AppName, rhs: AppName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(String.self)
        guard let name = AppName(value) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.rule)
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static let adjectives = [
        "misty", "quiet", "bold", "calm", "brave", "bright", "crisp", "dusty", "eager", "fancy",
        "gentle", "golden", "hidden", "icy", "jolly", "lively", "lucky", "mellow", "noble", "polished",
        "proud", "rapid", "rustic", "shiny", "silent", "sunny", "swift", "tidy", "vast", "warm",
    ]
    private static let nouns = [
        "river", "meadow", "forest", "harbor", "canyon", "island", "summit", "valley", "glacier", "prairie",
        "brook", "cliff", "dune", "ember", "field", "grove", "lagoon", "mesa", "oasis", "pine",
        "reef", "ridge", "shore", "spring", "stone", "tundra", "willow", "cove", "delta", "falls",
    ]
}
