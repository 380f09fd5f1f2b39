/// What went wrong with an add-on, with a stable `code`, a `message` that says what to do, and
/// the `detail` of the underlying failure.
///
/// Never holds a secret: messages are written without credentials or URLs, and `detail` is
/// scrubbed of every password the failing operation knew (`Secrets.scrub`).
public struct AddonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable codes (snake_case on the wire).
    public enum Code: String, Sendable, Equatable, Codable {
        case invalidAddonName = "invalid_addon_name"
        case unknownAddonKind = "unknown_addon_kind"
        case addonAlreadyExists = "addon_already_exists"
        case addonNotFound = "addon_not_found"
        case addonServerUnavailable = "addon_server_unavailable"
        case addonProvisionFailed = "addon_provision_failed"
        case addonDeprovisionFailed = "addon_deprovision_failed"
        case addonBackupFailed = "addon_backup_failed"
        case addonRestoreFailed = "addon_restore_failed"
        case addonMisconfigured = "addon_misconfigured"
    }

    /// The stable code.
    public var code: Code
    /// What failed and what to do, for users.
    public var message: String
    /// The underlying failure in words (scrubbed of secrets), for operators.
    public var detail: String?

    /// Whether trying again later may succeed.
    public var isRetryable: Bool { code == .addonServerUnavailable }

    public init(code: Code, message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String {
        detail.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)"
    }
}

extension AddonError {
    static func invalidName(_ name: String) -> AddonError {
        AddonError(
            code: .invalidAddonName,
            message: "'\(name.prefix(60))' is not a valid add-on name. \(AddonName.rule) Pick another with --as NAME.")
    }

    static func unknownKind(_ kind: String, known: [AddonKind]) -> AddonError {
        AddonError(
            code: .unknownAddonKind,
            message: "No add-on kind '\(kind.prefix(40))'. Available kinds: \(known.sorted().map(\.rawValue).joined(separator: ", ")).")
    }

    static func alreadyExists(_ name: AddonName) -> AddonError {
        AddonError(
            code: .addonAlreadyExists,
            message: "An add-on named '\(name)' already exists. Pick another name with --as NAME.")
    }

    static func notFound(_ name: AddonName, kind: AddonKind) -> AddonError {
        AddonError(
            code: .addonNotFound,
            message: "No \(kind) add-on named '\(name)'. Run 'paas addons' to list the app's add-ons.")
    }

    static func serverUnavailable(_ kind: AddonKind, detail: String? = nil) -> AddonError {
        AddonError(
            code: .addonServerUnavailable,
            message: "The \(kind) server is not available right now. Try again in a minute; if it persists, check 'paasd' logs and the server's log under <data-dir>/addons/\(kind).",
            detail: detail)
    }

    static func failed(_ code: Code, _ name: AddonName, kind: AddonKind, detail: String?) -> AddonError {
        let what =
            switch code {
            case .addonProvisionFailed: "create the \(kind) add-on '\(name)'. Nothing of it was left behind"
            case .addonDeprovisionFailed: "remove the \(kind) add-on '\(name)'. Removing it again is safe"
            case .addonBackupFailed: "back up the \(kind) add-on '\(name)'. Its data is untouched"
            case .addonRestoreFailed:
                "restore the \(kind) add-on '\(name)'. Its data may be incomplete: restore the backup again"
            default: "complete the operation on the \(kind) add-on '\(name)'"
            }
        return AddonError(
            code: code,
            message: "Could not \(what); try again, and if it fails again see the server's log under <data-dir>/addons/\(kind).",
            detail: detail)
    }

    static func misconfigured(_ kind: AddonKind, _ what: String) -> AddonError {
        AddonError(code: .addonMisconfigured, message: "The \(kind) add-on provider is misconfigured: \(what)")
    }
}
