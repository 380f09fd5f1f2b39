#if canImport(Glibc)
import Glibc
#endif
import Logging
import PaasSupport

/// The PostgreSQL cluster the provider manages: initdb (through `PostgresCluster`) into
/// `<directory>/data` on first use, then `postgres` in the foreground as `osUser`, on TCP at the
/// listen address with passwords (SCRAM) and on a private unix socket for the administrator.
struct PostgreSQLServer: Sendable {
    static let superuser = "paas"
    let configuration: PostgreSQLConfiguration
    let server: ManagedServer
    let binDirectory: String

    init(configuration: PostgreSQLConfiguration, logger: Logger) {
        self.configuration = configuration
        let binDirectory = configuration.binDirectory ?? PostgresCluster.findBinDirectory() ?? "/usr/lib/postgresql/15/bin"
        self.binDirectory = binDirectory
        let paths = Paths(directory: configuration.directory)
        var launch = ServerLaunch(
            program: binDirectory + "/postgres",
            arguments: [
                "-D", paths.data, "-p", "\(configuration.port)", "-k", paths.run,
                "-c", "listen_addresses=\(configuration.listenAddress)", "-c", "unix_socket_permissions=0700",
                "-c", "logging_collector=on",
                // A failing statement may hold a password (CREATE ROLE … PASSWORD): never log it.
                "-c", "log_min_error_statement=panic",
                "-c", "shared_buffers=32MB", "-c", "max_connections=200",
            ],
            user: configuration.osUser, stopSignal: SIGINT, pidFile: paths.data + "/postmaster.pid",
            dataDirectory: paths.data)
        launch.stopTimeout = .seconds(60)
        let host = configuration.listenAddress, port = configuration.port
        server = ManagedServer(
            name: "postgresql", launch: launch, logger: logger,
            prepare: {
                if !LocalFiles.exists(paths.data + "/PG_VERSION") {
                    try await Self.initialize(configuration, binDirectory: binDirectory)
                }
            }
        ) {
            (try? await ClientProgram().run(binDirectory + "/pg_isready", ["-q", "-h", host, "-p", "\(port)"])) != nil
        }
    }

    /// Where things live under the provider's directory.
    struct Paths {
        let directory: String
        var data: String { directory + "/data" }
        var run: String { directory + "/run" }
        var work: String { directory + "/work" }
    }

    var paths: Paths { Paths(directory: configuration.directory) }

    /// Whether the cluster was initialized (the provider was used before).
    var isInitialized: Bool { LocalFiles.exists(paths.data + "/PG_VERSION") }

    /// Initializes the cluster when needed, then starts it and waits until it runs.
    func start() async throws {
        try await server.start()
    }

    /// The administrator's connection: the superuser over the private socket, as `osUser`.
    var admin: PostgreSQLAdmin {
        PostgreSQLAdmin(
            client: ClientProgram(user: configuration.osUser), binDirectory: binDirectory,
            connection: ["-h", paths.run, "-p", "\(configuration.port)", "-U", Self.superuser], adminDatabase: "postgres")
    }

    /// initdb into `data.init`, renamed to `data` only once complete and configured.
    private static func initialize(_ configuration: PostgreSQLConfiguration, binDirectory: String) async throws {
        let paths = Paths(directory: configuration.directory)
        let user = configuration.osUser
        try LocalFiles.makeDirectory(configuration.directory, mode: 0o711)
        try LocalFiles.makeDirectory(paths.run, mode: 0o700, owner: user)
        try LocalFiles.makeDirectory(paths.work, mode: 0o700, owner: user)
        let staging = paths.data + ".init"
        try await LocalFiles.remove(staging)
        var settings = PostgresCluster.Configuration(dataDirectory: staging, socketDirectory: paths.run, binDirectory: binDirectory)
        settings.osUser = user
        settings.superuser = superuser
        try await PostgresCluster(configuration: settings, logger: Logger(label: "paas.addons.postgresql")).initializeIfNeeded()
        // The socket (reachable only by osUser and root) trusts; TCP wants each role's password.
        try await ClientProgram(user: user).run(
            "/bin/sh", ["-c", "printf '%s\\n' \"$1\" \"$2\" > \"$0/pg_hba.conf\"", staging,
                        "local all all trust", "host all all all scram-sha-256"])
        // Roles connect only to their own database: not to the maintenance databases either.
        // (Single-user mode runs one statement per line.)
        try await ClientProgram(user: user).run(
            binDirectory + "/postgres", ["--single", "-D", staging, "postgres"],
            input: """
                REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
                REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;

                """)
        try await ClientProgram().run("/bin/mv", ["--", staging, paths.data])
    }
}
