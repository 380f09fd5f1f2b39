import NIOCore
import PaasAPI

// Attaching waits for the database and for the app's restart, and backups for the dump: longer than
// other calls.
private let longTimeout = TimeAmount.minutes(5)

extension ControllerClient {
    /// The app's add-ons (`paas addons`).
    public func addons(app: String) async throws -> [AddonResource] {
        try await transport.send(.GET, "/v1/apps/\(app)/addons")
    }

    /// Provisions an add-on of `kind` and attaches it: its config vars are set in a new release
    /// and the app restarts.
    public func addAddon(app: String, kind: String, name: String? = nil) async throws -> AddonResource {
        try await transport.send(.POST, "/v1/apps/\(app)/addons", body: AddonCreateRequest(kind: kind, name: name), timeout: longTimeout)
    }

    /// One add-on.
    public func addon(app: String, name: String) async throws -> AddonResource {
        try await transport.send(.GET, "/v1/apps/\(app)/addons/\(name)")
    }

    /// Drops the add-on's database and credentials and unsets its config vars in a new release.
    public func removeAddon(app: String, name: String) async throws {
        _ = try await transport.perform(.DELETE, "/v1/apps/\(app)/addons/\(name)", body: Optional<APITransport.Empty>.none, timeout: longTimeout)
    }

    /// Dumps the add-on's data into the blob store.
    public func backupAddon(app: String, name: String) async throws -> AddonBackupResource {
        try await transport.send(.POST, "/v1/apps/\(app)/addons/\(name)/backups", body: Optional<APITransport.Empty>.none, timeout: longTimeout)
    }

    /// The add-on's backups, newest first.
    public func addonBackups(app: String, name: String) async throws -> [AddonBackupResource] {
        try await transport.send(.GET, "/v1/apps/\(app)/addons/\(name)/backups")
    }

    /// Replaces the add-on's data with backup `number`'s.
    public func restoreAddon(app: String, name: String, backup number: Int) async throws -> AddonBackupResource {
        try await transport.send(.POST, "/v1/apps/\(app)/addons/\(name)/backups/\(number)/restore", body: Optional<APITransport.Empty>.none, timeout: longTimeout)
    }
}
