import Logging
import PaasBlobs
import PaasSupport

/// PostgreSQL add-ons: one database and one role per add-on on a managed cluster (or on an
/// existing server given by `adminURL`), exposed as `POSTGRES_URL`. Only the add-on's role may
/// connect to its database (CONNECT revoked from PUBLIC).
public struct PostgreSQLProvider: AddonProvider, ServerOwning {
    public let kind = AddonKind.postgresql
    /// The provider's settings.
    public let configuration: PostgreSQLConfiguration
    private let managed: PostgreSQLServer?
    private let logger: Logger
    private let locks = AddonLocks()

    /// A provider with `configuration`; nothing starts until `start()` or first use.
    public init(configuration: PostgreSQLConfiguration, logger: Logger = Logger(label: "paas.addons.postgresql")) {
        self.configuration = configuration
        self.logger = logger
        managed = configuration.adminURL == nil ? PostgreSQLServer(configuration: configuration, logger: logger) : nil
    }

    public func start() async throws {
        guard let managed, managed.isInitialized else { return }
        try await ready()
    }

    public func stop() async {
        await managed?.server.stop()
    }

    var managedServers: [ManagedServer] { managed.map { [$0.server] } ?? [] }

    public func health() async -> AddonHealth {
        guard let managed else {
            let answered = (try? await admin.execute("SELECT 1")) != nil
            return AddonHealth(kind: kind, servers: [], isHealthy: answered)
        }
        let server = await managed.server.health()
        return AddonHealth(kind: kind, servers: [server], isHealthy: server.state == .running)
    }

    public func provision(name: AddonName) async throws -> ProvisionedAddon {
        try await locks.serialized(name) {
            try await ready()
            let id = name.identifier
            guard try await !exists(name) else { throw AddonError.alreadyExists(name) }
            let password = Secrets.password()
            do {
                try await admin.execute(
                    """
                    CREATE ROLE "\(id)" LOGIN PASSWORD '\(password)';
                    \(managed == nil ? "GRANT \"\(id)\" TO CURRENT_USER;" : "")
                    CREATE DATABASE "\(id)" OWNER "\(id)";
                    \(Self.connectOnlyByOwner(id))
                    """, secrets: [password])
                try await configuration.afterCreate?(name)
            } catch {
                // The existence check above makes both ours: remove whatever part was made.
                _ = try? await admin.execute(Self.dropStatements(id))
                throw AddonError.failed(.addonProvisionFailed, name, kind: kind, detail: Secrets.scrub("\(error)", [password]))
            }
            logger.info("add-on provisioned", metadata: ["addon": "\(name)"])
            let url = "postgres://\(id):\(password)@\(urlHost):\(urlPort)/\(id)"
            return ProvisionedAddon(name: name, kind: kind, configVars: ["POSTGRES_URL": url])
        }
    }

    public func deprovision(name: AddonName) async throws {
        try await locks.serialized(name) {
            try await ready()
            do {
                try await admin.execute(Self.dropStatements(name.identifier))
            } catch {
                throw AddonError.failed(.addonDeprovisionFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on deprovisioned", metadata: ["addon": "\(name)"])
        }
    }

    /// `pg_dump` of the add-on's database in the custom format, without owners or grants.
    public func backup(name: AddonName, into store: any BlobStore) async throws -> AddonBackup {
        try await locks.serialized(name) {
            try await ready()
            guard try await exists(name) else { throw AddonError.notFound(name, kind: kind) }
            let file = try workFile("backup")
            defer { LocalFiles.removeFile(file) }
            do {
                try await admin.dump(name.identifier, to: file)
                let size = LocalFiles.size(file)
                return AddonBackup(blobID: try await store.store(fileAt: file), size: size)
            } catch {
                throw AddonError.failed(.addonBackupFailed, name, kind: kind, detail: "\(error)")
            }
        }
    }

    /// Fetches and verifies the dump, drops the database (ending its sessions), re-creates it
    /// for the add-on's role alone, then `pg_restore`s the dump as that role.
    public func restore(name: AddonName, from blobID: BlobID, store: any BlobStore) async throws {
        try await locks.serialized(name) {
            try await ready()
            guard try await exists(name) else { throw AddonError.notFound(name, kind: kind) }
            let file = try workFile("restore")
            defer { LocalFiles.removeFile(file) }
            let id = name.identifier
            do {
                // Fetch (and verify) first: the data is replaced only once the backup is at hand.
                try await store.fetch(blobID, to: file)
                if managed != nil { try LocalFiles.changeOwner(file, to: configuration.osUser) }
                try await admin.execute(
                    """
                    DROP DATABASE "\(id)" WITH (FORCE);
                    CREATE DATABASE "\(id)" OWNER "\(id)";
                    \(Self.connectOnlyByOwner(id))
                    """)
                try await admin.restore(id, from: file, role: id)
            } catch {
                throw AddonError.failed(.addonRestoreFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on restored", metadata: ["addon": "\(name)", "backup": "\(blobID)"])
        }
    }

    // MARK: - Helpers

    private static func connectOnlyByOwner(_ id: String) -> String {
        """
        REVOKE ALL ON DATABASE "\(id)" FROM PUBLIC;
        GRANT CONNECT, TEMPORARY ON DATABASE "\(id)" TO "\(id)";
        """
    }

    /// Drops the database (ending its sessions) and the role; both may be missing already.
    private static func dropStatements(_ id: String) -> String {
        """
        DROP DATABASE IF EXISTS "\(id)" WITH (FORCE);
        DROP ROLE IF EXISTS "\(id)";
        """
    }

    private var admin: PostgreSQLAdmin {
        if let url = configuration.adminURL {
            return PostgreSQLAdmin(
                url: url, binDirectory: configuration.binDirectory ?? PostgresCluster.findBinDirectory() ?? "/usr/bin")
        }
        return managed!.admin
    }

    private var urlHost: String { configuration.urlHost ?? configuration.adminURL?.host ?? configuration.listenAddress }
    private var urlPort: Int { configuration.adminURL.map { $0.port ?? 5432 } ?? configuration.port }

    /// Starts the managed cluster when needed and waits until it runs.
    private func ready() async throws {
        guard let managed else { return }
        do {
            try await managed.start()
            try await managed.server.waitUntilRunning()
        } catch {
            throw AddonError.serverUnavailable(kind, detail: "\(error)")
        }
    }

    /// Whether the add-on's database or role exists.
    private func exists(_ name: AddonName) async throws -> Bool {
        let id = name.identifier
        let count = try await admin.execute(
            """
            SELECT (SELECT count(*) FROM pg_database WHERE datname = '\(id)')
                 + (SELECT count(*) FROM pg_roles WHERE rolname = '\(id)');
            """)
        return count.trimmed != "0"
    }

    private func workFile(_ prefix: String) throws -> String {
        let directory = configuration.directory + "/work"
        try LocalFiles.makeDirectory(directory, mode: 0o700, owner: managed == nil ? nil : configuration.osUser)
        return LocalFiles.temporaryPath(in: directory, prefix: prefix)
    }
}
