#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Talks to a database the way an app does, from a config var such as `MYSQL_URL`, with the
/// real client (`mariadb`, `psql`, `redis-cli`). Passwords go in the environment, never in
/// arguments.
public struct DatabaseURLClient: Sendable {
    let scheme: String
    let user: String
    let password: String
    let host: String
    let port: Int
    let database: String

    /// A client for `url` (`mysql://…`, `postgres://…`, `redis://…`); nil when it does not parse.
    /// `host` replaces the URL's host (a name only containers resolve, such as `mysql.addons.internal`).
    public init?(_ url: String, host override: String? = nil) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host, let port = parsed.port,
            let user = parsed.user, let password = parsed.password
        else { return nil }
        self.scheme = scheme
        self.user = user.removingPercentEncoding ?? user
        self.password = password.removingPercentEncoding ?? password
        self.host = override ?? host
        self.port = port
        database = String(parsed.path.dropFirst())
    }

    /// A client for config var `name` of `config`; throws when it is missing or does not parse.
    public init(configVar name: String, of config: [String: String], host: String? = nil) throws {
        guard let url = config[name], let client = DatabaseURLClient(url, host: host) else {
            throw TestFailure("Config var \(name) is missing or is not a database URL (vars: \(config.keys.sorted())).")
        }
        self = client
    }

    /// Runs `sql` (or a Redis command's words) and returns what the client printed; status 0
    /// means the credentials were accepted and the statement ran.
    public func run(_ statement: String) async throws -> ProgramResult {
        switch scheme {
        case "mysql":
            return try await runProgram(
                "/usr/bin/mariadb",
                ["--no-defaults", "--protocol=TCP", "--connect-timeout=5", "-h", host, "-P", "\(port)", "-u", user, "-N", "-B",
                 "-e", statement, database],
                environment: ["MYSQL_PWD": password])
        case "postgres", "postgresql":
            return try await runProgram(
                "/usr/bin/psql",
                ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-h", host, "-p", "\(port)", "-U", user, "-d", database, "-c", statement],
                environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"])
        default:
            let words = statement.split(separator: " ").map(String.init)
            return try await runProgram(
                "/usr/bin/redis-cli", ["-h", host, "-p", "\(port)", "--user", user, "--no-auth-warning", "-e"] + words,
                environment: ["REDISCLI_AUTH": password])
        }
    }

    /// Whether the credentials are accepted.
    public func canConnect() async throws -> Bool {
        try await run(scheme == "redis" ? "PING" : "SELECT 1").status == 0
    }

    /// The same credentials on another URL's database (or instance): for isolation checks.
    public func withCredentials(of other: DatabaseURLClient) -> DatabaseURLClient {
        DatabaseURLClient(scheme: scheme, user: other.user, password: other.password, host: host, port: port, database: database)
    }

    private init(scheme: String, user: String, password: String, host: String, port: Int, database: String) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }
}
