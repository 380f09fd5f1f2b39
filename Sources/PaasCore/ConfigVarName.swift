/// Rules for config var names: shell-compatible environment variable names.
public enum ConfigVarName {
    /// The rule in words, for error messages.
    public static let rule =
        "Config var names start with a letter or underscore and contain only letters, digits and underscores."

    /// Whether `name` can be a config var (and so an environment variable in a process).
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 255, isLetter(first) || first == "_" else { return false }
        return scalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
