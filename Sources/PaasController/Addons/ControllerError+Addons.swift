import HTTPTypes
import PaasAddons

extension ControllerError {
    static func addonNotFound(_ name: String, app: String) -> Self {
        .init(
            status: .notFound, code: "addon_not_found",
            message: "App '\(app)' has no add-on named '\(name.prefix(60))'. Run 'paas addons -a \(app)' to list them.")
    }

    static func addonNameTaken(_ name: String) -> Self {
        .init(
            status: .conflict, code: "addon_already_exists",
            message: "An add-on named '\(name)' already exists. Pick another name with --as NAME.")
    }

    static func backupNotFound(_ number: Int, addon: String) -> Self {
        .init(
            status: .notFound, code: "backup_not_found",
            message: "Add-on '\(addon)' has no backup \(number). Run 'paas addons:backups \(addon)' to list them.")
    }

    /// The answer for a provider's error: its code and message (which never hold secrets), with
    /// the status that fits the code.
    init(_ error: AddonError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalidAddonName, .unknownAddonKind: .unprocessableContent
            case .addonAlreadyExists: .conflict
            case .addonNotFound: .notFound
            case .addonServerUnavailable: .serviceUnavailable
            case .addonProvisionFailed, .addonDeprovisionFailed, .addonBackupFailed, .addonRestoreFailed, .addonMisconfigured:
                .internalServerError
            }
        self.init(status: status, code: error.code.rawValue, message: error.message, retryable: error.isRetryable)
    }
}
