import Logging
import PaasBlobs
import PaasSupport

/// MySQL add-ons: one database and one user per add-on on a managed MariaDB server (or on an
/// existing server given by `adminURL`), exposed as `MYSQL_URL`.
public struct MySQLProvider: AddonProvider, ServerOwning {
    public let kind = AddonKind.mysql
    /// The provider's settings.
    public let configuration: MySQLConfiguration
    private let managed: MariaDBServer?
    private let logger: Logger
    private let locks = AddonLocks()

    /// A provider with `configuration`; nothing starts until `start()` or first use.
    public init(configuration: MySQLConfiguration, logger: Logger = Logger(label: "paas.addons.mysql")) {
        self.configuration = configuration
        self.logger = logger
        managed = configuration.adminURL == nil ? MariaDBServer(configuration: configuration, logger: logger) : nil
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
                    CREATE DATABASE `\(id)`;
                    CREATE USER '\(id)'@'%' IDENTIFIED BY '\(password)';
                    GRANT ALL PRIVILEGES ON `\(id)`.* TO '\(id)'@'%';
                    """, secrets: [password])
                try await configuration.afterCreate?(name)
            } catch {
                // The existence check above makes both ours: remove whatever part was made.
                _ = try? await admin.execute("DROP DATABASE IF EXISTS `\(id)`; DROP USER IF EXISTS '\(id)'@'%';")
                throw AddonError.failed(.addonProvisionFailed, name, kind: kind, detail: Secrets.scrub("\(error)", [password]))
            }
            logger.info("add-on provisioned", metadata: ["addon": "\(name)"])
            let url = "mysql://\(id):\(password)@\(urlHost):\(urlPort)/\(id)"
            return ProvisionedAddon(name: name, kind: kind, configVars: ["MYSQL_URL": url])
        }
    }

    public func deprovision(name: AddonName) async throws {
        try await locks.serialized(name) {
            try await ready()
            let id = name.identifier
            do {
                try await closeSessions(of: name)
                try await admin.execute("DROP DATABASE IF EXISTS `\(id)`; DROP USER IF EXISTS '\(id)'@'%';")
            } catch {
                throw AddonError.failed(.addonDeprovisionFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on deprovisioned", metadata: ["addon": "\(name)"])
        }
    }

    /// `mariadb-dump --single-transaction` of the add-on's database (plain SQL).
    public func backup(name: AddonName, into store: any BlobStore) async throws -> AddonBackup {
        try await locks.serialized(name) {
            try await ready()
            guard try await exists(name) else { throw AddonError.notFound(name, kind: kind) }
            let file = try workFile("backup")
            defer { LocalFiles.removeFile(file) }
            do {
                try await admin.dump(name.identifier, to: file)
                let size = LocalFiles.size(file)
                let id = try await store.store(fileAt: file)
                return AddonBackup(blobID: id, size: size)
            } catch {
                throw AddonError.failed(.addonBackupFailed, name, kind: kind, detail: "\(error)")
            }
        }
    }

    /// Fetches and verifies the dump, ends the add-on's sessions, drops and re-creates its
    /// database (its user's grants stay), then loads the dump.
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
                try await closeSessions(of: name)
                try await admin.execute("DROP DATABASE `\(id)`; CREATE DATABASE `\(id)`;")
                try await admin.load(id, from: file)
            } catch {
                throw AddonError.failed(.addonRestoreFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on restored", metadata: ["addon": "\(name)", "backup": "\(blobID)"])
        }
    }

    // MARK: - Helpers

    private var admin: MySQLAdmin {
        if let url = configuration.adminURL { return MySQLAdmin(url: url) }
        return managed!.admin
    }

    private var urlHost: String { configuration.urlHost ?? configuration.adminURL?.host ?? configuration.listenAddress }
    private var urlPort: Int { configuration.adminURL.map { $0.port ?? 3306 } ?? configuration.port }

    /// Starts the managed server when needed and waits until it runs.
    private func ready() async throws {
        guard let managed else { return }
        do {
            try await managed.start()
            try await managed.server.waitUntilRunning()
        } catch {
            throw AddonError.serverUnavailable(kind, detail: "\(error)")
        }
    }

    /// Whether the add-on's database or user exists.
    private func exists(_ name: AddonName) async throws -> Bool {
        let id = name.identifier
        let count = try await admin.execute(
            """
            SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '\(id)')
                 + (SELECT COUNT(*) FROM mysql.user WHERE User = '\(id)');
            """)
        return count.trimmed != "0"
    }

    /// Ends the add-on user's open sessions, so that dropping its database does not wait on them.
    private func closeSessions(of name: AddonName) async throws {
        let ids = try await admin.execute(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '\(name.identifier)';")
        for session in ids.split(whereSeparator: \.isNewline) where Int(session) != nil {
            _ = try? await admin.execute("KILL CONNECTION \(session);")
        }
    }

    private func workFile(_ prefix: String) throws -> String {
        let directory = configuration.directory + "/work"
        try LocalFiles.makeDirectory(directory, mode: 0o700)
        return LocalFiles.temporaryPath(in: directory, prefix: prefix)
    }
}
