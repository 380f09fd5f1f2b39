/// A newly made add-on: its name and the config vars that reach it (`MYSQL_URL`, …).
///
/// The caller decides the rest (for instance which add-on also becomes `DATABASE_URL`).
/// `description` names the variables but never prints their values, which hold credentials.
public struct ProvisionedAddon: Sendable, Equatable, CustomStringConvertible {
    /// The add-on's name.
    public var name: AddonName
    /// Its kind.
    public var kind: AddonKind
    /// Config vars to set on the app, such as `["MYSQL_URL": "mysql://user:pass@host:3306/db"]`.
    public var configVars: [String: String]

    public init(name: AddonName, kind: AddonKind, configVars: [String: String]) {
        self.name = name
        self.kind = kind
        self.configVars = configVars
    }

    public var description: String {
        "\(kind) add-on \(name) (config vars: \(configVars.keys.sorted().joined(separator: ", ")))"
    }
}
