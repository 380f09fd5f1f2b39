/// Rules for process type names (`web`, `worker`, `release`), as in a Procfile.
public enum ProcessTypeName {
    /// The rule in words, for error messages.
    public static let rule =
        "Process types start with a letter and contain only letters, digits, dashes and underscores, up to 30 characters."

    /// Whether `name` is a valid process type name.
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 30,
            ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return scalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
