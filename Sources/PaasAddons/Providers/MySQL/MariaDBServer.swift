import Logging

/// The MariaDB server the MySQL provider manages: `mariadb-install-db` into
/// `<directory>/data` on first use, then `mariadbd` in the foreground, dropping to `osUser`
/// itself, with root reachable only over its unix socket (unix_socket authentication).
struct MariaDBServer: Sendable {
    let configuration: MySQLConfiguration
    let server: ManagedServer

    init(configuration: MySQLConfiguration, logger: Logger) {
        self.configuration = configuration
        let paths = Paths(directory: configuration.directory)
        let launch = ServerLaunch(
            program: "/usr/sbin/mariadbd",
            arguments: [
                "--no-defaults", "--user=\(configuration.osUser)", "--datadir=\(paths.data)",
                "--port=\(configuration.port)", "--bind-address=\(configuration.listenAddress)",
                "--socket=\(paths.socket)", "--tmpdir=\(paths.temporary)", "--pid-file=\(paths.run)/mariadbd.pid",
                "--log-error=\(paths.log)/mariadbd.log",
                "--skip-name-resolve", "--innodb-log-file-size=8M", "--innodb-buffer-pool-size=64M",
                "--max-connections=300",
            ],
            pidFile: paths.run + "/mariadbd.pid", dataDirectory: paths.data, logFile: paths.log + "/mariadbd.log")
        server = ManagedServer(
            name: "mariadb", launch: launch, logger: logger,
            prepare: { if !LocalFiles.exists(paths.data + "/mysql") { try await Self.initialize(configuration) } }
        ) {
            (try? await ClientProgram().run("/usr/bin/mariadb-admin", ["--no-defaults", "--socket=\(paths.socket)", "--user=root", "ping"])) != nil
        }
    }

    /// Where things live under the provider's directory.
    struct Paths {
        let directory: String
        var data: String { directory + "/data" }
        var run: String { directory + "/run" }
        var log: String { directory + "/log" }
        var socket: String { run + "/mariadbd.sock" }
        /// Its own tmpdir: servers sharing /tmp collide on temporary table file names.
        var temporary: String { directory + "/tmp" }
    }

    var paths: Paths { Paths(directory: configuration.directory) }

    /// Whether the data directory was initialized (the provider was used before).
    var isInitialized: Bool { LocalFiles.exists(paths.data + "/mysql") }

    /// Initializes the data directory when needed, then starts the server and waits until it runs.
    func start() async throws {
        try await server.start()
    }

    /// The admin connection: root over the unix socket.
    var admin: MySQLAdmin {
        MySQLAdmin(client: ClientProgram(), connection: ["--socket=\(paths.socket)", "--user=root"])
    }

    /// `mariadb-install-db` into `data.init`, renamed to `data` only once complete, so a failed
    /// initialization leaves nothing that looks initialized.
    private static func initialize(_ configuration: MySQLConfiguration) async throws {
        let paths = Paths(directory: configuration.directory)
        let user = configuration.osUser
        try LocalFiles.makeDirectory(configuration.directory, mode: 0o711)
        try LocalFiles.makeDirectory(paths.run, mode: 0o700, owner: user)
        try LocalFiles.makeDirectory(paths.log, mode: 0o700, owner: user)
        try LocalFiles.makeDirectory(paths.temporary, mode: 0o700, owner: user)
        let staging = paths.data + ".init"
        try await LocalFiles.remove(staging)
        try LocalFiles.makeDirectory(staging, mode: 0o700, owner: user)
        try await ClientProgram().run(
            "/usr/bin/mariadb-install-db",
            ["--no-defaults", "--datadir=\(staging)", "--tmpdir=\(paths.temporary)", "--user=\(user)", "--skip-test-db",
             "--auth-root-authentication-method=socket"])
        try await ClientProgram().run("/bin/mv", ["--", staging, paths.data])
    }
}
