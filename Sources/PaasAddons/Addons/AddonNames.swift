/// Generated add-on names: `<kind>-<word>-<5 digits>`, such as `mysql-shapely-12345`.
public enum AddonNames {
    /// A random name for an add-on of `kind`.
    public static func generate<G: RandomNumberGenerator>(for kind: AddonKind, using generator: inout G) -> AddonName {
        let word = words.randomElement(using: &generator)!
        let number = Int.random(in: 10000...99999, using: &generator)
        // Kinds are short lowercase words, so the result always follows AddonName's rule.
        return AddonName("\(kind.rawValue)-\(word)-\(number)")!
    }

    /// A random name for an add-on of `kind`, from the system's random source.
    public static func generate(for kind: AddonKind) -> AddonName {
        var generator = SystemRandomNumberGenerator()
        return generate(for: kind, using: &generator)
    }

    static let words = [
        "shapely", "amber", "brisk", "cobalt", "dapper", "elegant", "fuzzy", "gentle", "humble", "ivory",
        "jolly", "keen", "lively", "mellow", "nimble", "opaline", "placid", "quiet", "rugged", "sturdy",
        "tidy", "upbeat", "vivid", "witty", "zesty", "silent", "solid", "sunny", "swift", "tranquil",
    ]
}
