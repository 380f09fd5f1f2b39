import PaasBlobs

/// Makes, removes, backs up and restores add-ons of one kind. A new kind of add-on is one new
/// type conforming to this protocol, registered in `AddonProviders`.
///
/// Providers that manage their own servers start them on first use (`provision`, …) or
/// eagerly with `start()`, which paasd calls at boot so that existing add-ons keep working
/// after a platform restart; `stop()` stops them cleanly on shutdown.
public protocol AddonProvider: Sendable {
    /// The kind of add-on this provider makes.
    var kind: AddonKind { get }

    /// Starts the provider's servers when it has any data yet (add-ons made before a restart);
    /// does nothing for a provider never used. Idempotent.
    func start() async throws

    /// Stops the provider's servers cleanly. Idempotent.
    func stop() async

    /// Makes a new add-on named `name`: its own database (or instance) and user with a random
    /// password. On failure nothing of it is left behind. Throws `addon_already_exists` when
    /// the name is taken.
    func provision(name: AddonName) async throws -> ProvisionedAddon

    /// Removes the add-on's data and credentials. Removing an add-on that is already gone is
    /// not an error.
    func deprovision(name: AddonName) async throws

    /// Dumps the add-on's data into `store`.
    func backup(name: AddonName, into store: any BlobStore) async throws -> AddonBackup

    /// Replaces the add-on's data with the backup's.
    func restore(name: AddonName, from blobID: BlobID, store: any BlobStore) async throws

    /// The state of the provider's servers.
    func health() async -> AddonHealth
}
