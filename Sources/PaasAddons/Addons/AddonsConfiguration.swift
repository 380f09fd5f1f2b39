import Logging

/// The settings paasd gives the add-on providers: where their data lives, where their servers
/// listen, and what apps are told to connect to. Defaults suit `paasd up` on one host.
public struct AddonsConfiguration: Sendable {
    /// The platform data directory; each provider keeps its own under `<it>/addons/<kind>`.
    public var dataDirectory: String
    /// The address managed servers listen on: the container bridge's gateway (`10.213.0.1`) so
    /// that app containers reach them, or `127.0.0.1` for tests.
    public var listenAddress: String = "127.0.0.1"
    /// The host name put in each kind's URL (such as `mysql.addons.internal`, resolved by the
    /// platform's DNS); the listen address for a kind not named here.
    public var urlHosts: [AddonKind: String] = [:]
    /// The managed MariaDB server's port.
    public var mysqlPort: Int = 13306
    /// The managed PostgreSQL cluster's port.
    public var postgresqlPort: Int = 15432
    /// The ports Redis instances are given, one per add-on.
    public var redisPorts: Range<Int> = 16379..<16879
    /// An existing MySQL/MariaDB server to use instead of a managed one (`--mysql-admin-url`).
    public var mysqlAdminURL: AdminURL?
    /// An existing PostgreSQL server to use instead of a managed one (`--postgresql-admin-url`).
    public var postgresqlAdminURL: AdminURL?

    /// Defaults for `dataDirectory`.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The MySQL provider's settings.
    public var mysql: MySQLConfiguration {
        var configuration = MySQLConfiguration(
            directory: directory(.mysql), listenAddress: listenAddress, port: mysqlPort, urlHost: urlHosts[.mysql])
        configuration.adminURL = mysqlAdminURL
        return configuration
    }

    /// The PostgreSQL provider's settings.
    public var postgresql: PostgreSQLConfiguration {
        var configuration = PostgreSQLConfiguration(
            directory: directory(.postgresql), listenAddress: listenAddress, port: postgresqlPort,
            urlHost: urlHosts[.postgresql])
        configuration.adminURL = postgresqlAdminURL
        return configuration
    }

    /// The Redis provider's settings.
    public var redis: RedisConfiguration {
        RedisConfiguration(directory: directory(.redis), listenAddress: listenAddress, ports: redisPorts, urlHost: urlHosts[.redis])
    }

    private func directory(_ kind: AddonKind) -> String { "\(dataDirectory)/addons/\(kind.rawValue)" }
}

extension AddonProviders {
    /// The MySQL, PostgreSQL and Redis providers with `configuration`. Nothing starts yet:
    /// paasd calls `start()` at boot (servers of providers used before come back) and `stop()`
    /// at shutdown; a provider never used starts its server on first `provision`.
    public init(configuration: AddonsConfiguration, logger: Logger = Logger(label: "paas.addons")) {
        self.init([
            MySQLProvider(configuration: configuration.mysql, logger: logger),
            PostgreSQLProvider(configuration: configuration.postgresql, logger: logger),
            RedisProvider(configuration: configuration.redis, logger: logger),
        ])
    }
}
