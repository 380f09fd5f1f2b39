import Logging
import PaasAddons
import PaasBlobs
import PaasCore

/// Attaches add-ons to apps and detaches them: the provider makes (or removes) the database, and
/// the store records the add-on and sets (or unsets) its config vars in one release. Converging
/// the app afterwards is the caller's part.
///
/// Provider errors become `ControllerError`s here, in one place; their details (already scrubbed
/// of secrets by the providers) go to the log for operators, never to users.
struct AddonAttachments: Sendable {
    let store: ControllerStore
    let providers: AddonProviders
    let blobs: (any BlobStore)?
    let logger: Logger

    /// The kinds whose URL also becomes `DATABASE_URL` when the app has none.
    static let databaseKinds: Set<AddonKind> = [.mysql, .postgresql]

    /// Provisions an add-on of `kind` (named `requested`, or a generated name) and attaches it.
    /// When anything fails, nothing is left: no database, no record, no config var.
    func attach(kind: String, name requested: String?, to app: App, actor: String) async throws -> (Addon, Release) {
        let provider = try mapped(nil) { try providers.provider(for: kind) }
        let name = try await chooseName(requested, kind: provider.kind)
        let provisioned = try await mapped(name) { try await provider.provision(name: name) }
        let source = Self.databaseKinds.contains(provider.kind) ? provisioned.configVars.keys.sorted().first : nil
        do {
            let attached = try await store.attachAddon(
                named: name.rawValue, kind: provider.kind.rawValue, configVars: provisioned.configVars, databaseURLSource: source,
                to: app, actor: actor)
            logger.info("add-on attached", metadata: ["app": "\(app.name)", "addon": "\(name)", "kind": "\(provider.kind)"])
            return attached
        } catch {
            do {
                try await provider.deprovision(name: name)
            } catch {
                logger.error("could not remove the add-on of a failed attach", metadata: ["addon": "\(name)", "error": "\(error)"])
            }
            throw error
        }
    }

    /// Removes the add-on's database and credentials, then forgets it and unsets its config vars
    /// in one release. A failed removal keeps the record, so that removing again finishes it.
    func detach(_ addon: Addon, from app: App, actor: String) async throws -> Release {
        try await deprovision(addon)
        let release = try await store.detachAddon(addon, from: app, actor: actor)
        logger.info("add-on detached", metadata: ["app": "\(app.name)", "addon": "\(addon.name)"])
        return release
    }

    /// Removes the databases of every add-on of the app, before the app itself goes.
    func deprovisionAll(of app: App) async throws {
        for addon in try await store.addons(of: app) { try await deprovision(addon) }
    }

    /// Dumps the add-on's data into the blob store and records the backup.
    func backup(_ addon: Addon, of app: App, actor: String) async throws -> Addon.Backup {
        let (provider, name) = try parts(of: addon)
        let blobs = try requireBlobs()
        let dump = try await mapped(name) { try await provider.backup(name: name, into: blobs) }
        return try await store.recordBackup(of: addon, app: app, blobID: dump.blobID.sha256, size: dump.size, actor: actor)
    }

    /// Replaces the add-on's data with backup `number`'s.
    func restore(_ addon: Addon, backup number: Int, of app: App, actor: String) async throws -> Addon.Backup {
        let backup = try await store.requireBackup(number, of: addon)
        let (provider, name) = try parts(of: addon)
        let blobs = try requireBlobs()
        guard let blobID = BlobID(sha256: backup.blobID) else {
            throw ControllerError(status: .internalServerError, code: "addon_restore_failed", message: "Backup \(number) of \(addon.name) names no valid blob; take a new backup.")
        }
        try await mapped(name) { try await provider.restore(name: name, from: blobID, store: blobs) }
        try await store.recordRestore(of: backup, app: app, actor: actor)
        return backup
    }

    private func deprovision(_ addon: Addon) async throws {
        let (provider, name) = try parts(of: addon)
        try await mapped(name) { try await provider.deprovision(name: name) }
    }

    /// The requested name once checked, or a generated one no add-on has.
    private func chooseName(_ requested: String?, kind: AddonKind) async throws -> AddonName {
        if let requested {
            let name = try mapped(nil) { try AddonName.validated(requested) }
            guard try await !store.addonNameIsTaken(name.rawValue) else { throw ControllerError.addonNameTaken(name.rawValue) }
            return name
        }
        for _ in 0..<10 {
            let name = AddonNames.generate(for: kind)
            if try await !store.addonNameIsTaken(name.rawValue) { return name }
        }
        throw ControllerError(
            status: .conflict, code: "addon_already_exists", message: "Could not find a free add-on name. Pass one with --as NAME.",
            retryable: true)
    }

    /// The add-on's provider and its name as the provider knows it.
    private func parts(of addon: Addon) throws -> (any AddonProvider, AddonName) {
        let provider = try mapped(nil) { try providers.provider(for: addon.kind) }
        // Names were validated before the record was made.
        return (provider, try mapped(nil) { try AddonName.validated(addon.name) })
    }

    /// Where backups go; paasd always has one.
    private func requireBlobs() throws -> any BlobStore {
        guard let blobs else {
            throw ControllerError(
                status: .serviceUnavailable, code: "addon_server_unavailable",
                message: "This controller has no blob store to keep backups in. Run it inside paasd, which has one.")
        }
        return blobs
    }

    private func mapped<T>(_ name: AddonName?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AddonError { throw converted(error, name) }
    }

    private func mapped<T>(_ name: AddonName?, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as AddonError { throw converted(error, name) }
    }

    private func converted(_ error: AddonError, _ name: AddonName?) -> ControllerError {
        if let detail = error.detail {
            logger.warning(
                "add-on operation failed",
                metadata: ["addon": "\(name?.rawValue ?? "-")", "code": "\(error.code.rawValue)", "detail": "\(detail)"])
        }
        return ControllerError(error)
    }
}
