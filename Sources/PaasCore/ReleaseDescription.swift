/// The human descriptions releases carry, built in one place so they read alike.
public enum ReleaseDescription {
    /// The first release of every app.
    public static let initial = "Initial release"

    /// "Set FOO, BAR config vars" / "Unset FOO config var" / "Set FOO and unset BAR config vars".
    public static func configChange(set: [String], unset: [String]) -> String {
        let set = set.sorted(), unset = unset.sorted()
        let count = set.count + unset.count
        let noun = count == 1 ? "config var" : "config vars"
        switch (set.isEmpty, unset.isEmpty) {
        case (false, true): return "Set \(set.joined(separator: ", ")) \(noun)"
        case (true, false): return "Unset \(unset.joined(separator: ", ")) \(noun)"
        default: return "Set \(set.joined(separator: ", ")) and unset \(unset.joined(separator: ", ")) \(noun)"
        }
    }

    /// "Rollback to v3".
    public static func rollback(to version: Int) -> String { "Rollback to v\(version)" }

    /// "Deploy 1a2b3c4".
    public static func deploy(commit: String) -> String { "Deploy \(commit.prefix(7))" }

    /// "Attach mysql-shapely-12345".
    public static func attach(addon: String) -> String { "Attach \(addon)" }

    /// "Detach mysql-shapely-12345".
    public static func detach(addon: String) -> String { "Detach \(addon)" }
}
