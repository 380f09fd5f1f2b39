#if canImport(Glibc)
import Glibc
#endif
import Logging

/// A PostgreSQL cluster the platform runs itself: initdb on first start, `pg_ctl` to start and stop,
/// listening on a unix socket only (unless `listenAddresses` says otherwise).
///
/// PostgreSQL refuses to run as root, so when we are root the cluster runs as `osUser`.
public struct PostgresCluster: Sendable {
    /// Where and how the cluster runs.
    public struct Configuration: Sendable {
        /// The cluster's data directory (`PGDATA`).
        public var dataDirectory: String
        /// Directory of the unix socket (outside the data directory, which initdb wants empty).
        public var socketDirectory: String
        /// Directory holding `initdb`, `pg_ctl`, `psql`; found automatically when nil.
        public var binDirectory: String?
        /// The unprivileged user the server runs as when we are root.
        public var osUser: String = "postgres"
        /// The superuser role initdb creates.
        public var superuser: String = "paas"
        /// The port, which also names the socket file (`.s.PGSQL.<port>`).
        public var port: Int = 5432
        /// `listen_addresses`: empty means no TCP at all.
        public var listenAddresses: String = ""

        public init(dataDirectory: String, socketDirectory: String, binDirectory: String? = nil) {
            self.dataDirectory = dataDirectory
            self.socketDirectory = socketDirectory
            self.binDirectory = binDirectory
        }
    }

    /// What went wrong with the cluster, in words that say what to do.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The path of the server's unix socket, for clients.
    public var socketPath: String { "\(configuration.socketDirectory)/.s.PGSQL.\(configuration.port)" }

    /// Whether the data directory holds an initialized cluster.
    public var isInitialized: Bool { access(configuration.dataDirectory + "/PG_VERSION", F_OK) == 0 }

    /// Creates the cluster when the data directory is empty, then starts it unless it already runs,
    /// and makes sure `database` exists.
    public func start(database: String) async throws {
        try await initializeIfNeeded()
        let user = try runAsUser()
        try makeDirectory(configuration.socketDirectory, mode: 0o700, owner: user)
        if try await !isRunning() {
            let options = [
                "-c listen_addresses='\(configuration.listenAddresses)'",
                "-p \(configuration.port)",
                "-k \(configuration.socketDirectory)",
                "-c unix_socket_permissions=0700",
                "-c fsync=on",
            ].joined(separator: " ")
            try await Command.run(
                try tool("pg_ctl"),
                ["-D", configuration.dataDirectory, "-l", configuration.dataDirectory + "/server.log",
                 "-o", options, "-w", "-t", "60", "start"],
                user: user)
            logger.info("PostgreSQL started", metadata: ["socket": "\(socketPath)"])
        }
        try await createDatabaseIfMissing(database, user: user)
    }

    /// Runs initdb when the data directory holds no cluster yet.
    public func initializeIfNeeded() async throws {
        guard !isInitialized else { return }
        let user = try runAsUser()
        try makeDirectory(configuration.dataDirectory, mode: 0o700, owner: user)
        logger.info("initializing PostgreSQL cluster", metadata: ["path": "\(configuration.dataDirectory)"])
        try await Command.run(
            try tool("initdb"),
            ["-D", configuration.dataDirectory, "-U", configuration.superuser, "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            user: user)
    }

    /// Stops the server (fast shutdown: open sessions are ended, data is safe).
    public func stop() async throws {
        guard try await isRunning() else { return }
        try await Command.run(
            try tool("pg_ctl"), ["-D", configuration.dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"],
            user: try runAsUser())
        logger.info("PostgreSQL stopped", metadata: ["path": "\(configuration.dataDirectory)"])
    }

    /// Whether a server runs on this data directory (asks `pg_ctl status`).
    public func isRunning() async throws -> Bool {
        guard isInitialized else { return false }
        do {
            try await Command.run(try tool("pg_ctl"), ["-D", configuration.dataDirectory, "status"], user: try runAsUser())
            return true
        } catch is Command.Failure {
            return false
        }
    }

    private func createDatabaseIfMissing(_ database: String, user: SystemUser?) async throws {
        let psql = try tool("psql")
        let connection = ["-h", configuration.socketDirectory, "-p", "\(configuration.port)", "-U", configuration.superuser]
        let exists = try await Command.run(
            psql, connection + ["-d", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = '\(database)'"],
            user: user)
        if exists.trimmed != "1" {
            try await Command.run(try tool("createdb"), connection + [database], user: user)
        }
    }

    /// The user to run PostgreSQL's programs as: `osUser` when we are root, else ourselves.
    private func runAsUser() throws -> SystemUser? {
        guard geteuid() == 0 else { return nil }
        guard let user = SystemUser.lookup(configuration.osUser) else {
            throw Failure(
                description: "No system user '\(configuration.osUser)' to run PostgreSQL as. Install postgresql-15 (apt-get install postgresql-15), which creates it.")
        }
        return user
    }

    private func tool(_ name: String) throws -> String {
        let directory = configuration.binDirectory ?? Self.findBinDirectory()
        guard let directory, access(directory + "/" + name, X_OK) == 0 else {
            throw Failure(
                description: "PostgreSQL's \(name) was not found. Install PostgreSQL 15 (apt-get install postgresql-15) or pass its bin directory.")
        }
        return directory + "/" + name
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` that holds `pg_ctl`.
    public static func findBinDirectory() -> String? {
        for version in (12...20).reversed() {
            let directory = "/usr/lib/postgresql/\(version)/bin"
            if access(directory + "/pg_ctl", X_OK) == 0 { return directory }
        }
        return nil
    }

    private func makeDirectory(_ path: String, mode: mode_t, owner: SystemUser?) throws {
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw Failure(description: "Cannot create \(path): \(String(cString: strerror(errno))).")
        }
        if let owner {
            guard chown(path, owner.uid, owner.gid) == 0 else {
                throw Failure(description: "Cannot hand \(path) to user \(owner.name): \(String(cString: strerror(errno))).")
            }
        }
        chmod(path, mode)
    }
}
