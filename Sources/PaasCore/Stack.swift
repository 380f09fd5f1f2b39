/// A stack of the platform: a Debian release's root filesystems (run and build) under a name
/// such as `bookworm`, with the interpreter versions its `/etc/paas-stack` file records.
public struct Stack: Sendable, Equatable, Codable {
    /// The stack's name, e.g. `bookworm` or `trixie`.
    public var name: String
    /// Tool → version as installed (`python` → `3.13.5`, `go` → `1.24.4`, `node` → `20.19.2`).
    public var versions: [String: String]

    public init(name: String, versions: [String: String] = [:]) {
        self.name = name
        self.versions = versions
    }

    /// The tools whose versions builds and `GET /v1/stacks` show, in this order.
    public static let tools = ["python", "go", "node"]

    /// The name of the stack apps got before there was a choice, and the default one.
    public static let defaultName = "bookworm"

    /// The rule a stack name follows, in words.
    public static let nameRule = "Stack names start with a lowercase letter and hold only lowercase letters, digits and dashes."

    /// Whether `name` can name a stack (it is also a directory name and an environment value).
    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...40).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Reads the `key=value` lines of a stack's `/etc/paas-stack` (`#` starts a comment line).
    /// The `name` line is the stack's name unless `name` is given; the known tools' lines are
    /// its versions.
    public init(infoFile text: String, name: String? = nil) {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var value = trimmed[trimmed.index(after: equals)...]
            while value.last == " " || value.last == "\t" || value.last == "\r" { value = value.dropLast() }
            values[String(trimmed[..<equals])] = String(value)
        }
        self.name = name ?? values["name"] ?? ""
        self.versions = values.filter { Self.tools.contains($0.key) && !$0.value.isEmpty }
    }

    /// `NAME:python=X.Y.Z,go=X.Y.Z,node=X.Y.Z`: one entry of a build's `PAAS_STACKS`.
    public var environmentEntry: String {
        let pairs = Self.tools.compactMap { tool in versions[tool].map { "\(tool)=\($0)" } }
        return pairs.isEmpty ? name : "\(name):" + pairs.joined(separator: ",")
    }

    /// `PAAS_STACKS` for a build: every stack's entry, space-separated.
    public static func environmentValue(_ stacks: [Stack]) -> String {
        stacks.map(\.environmentEntry).joined(separator: " ")
    }
}
