import PaasAddons
import PaasTesting
import Testing

/// Talks to an add-on with the real client (`mariadb`, `psql`, `redis-cli`) and the credentials
/// of its URL, as an app would. Passwords go in the environment, never in arguments; SQL goes in
/// arguments, not on standard input, which a refused client may close before it is written.
struct AddonClient {
    let kind: AddonKind
    let url: AdminURL

    init(_ addon: ProvisionedAddon) throws {
        kind = addon.kind
        let variable = addon.configVars.first { $0.key.hasSuffix("_URL") }?.value
        url = try #require(variable.flatMap(AdminURL.init), "no parsable *_URL config var")
    }

    /// Whether the credentials are accepted and the database answers.
    func canConnect() async throws -> Bool {
        try await run(mysql: "SELECT 1", postgresql: "SELECT 1", redis: ["PING"]).status == 0
    }

    /// Stores `value` under `key` (a row in table `items`, or a Redis key).
    func write(_ key: String, _ value: String) async throws {
        let result = try await run(
            mysql: "CREATE TABLE IF NOT EXISTS items (k VARCHAR(100) PRIMARY KEY, v TEXT); REPLACE INTO items VALUES ('\(key)', '\(value)')",
            postgresql: "CREATE TABLE IF NOT EXISTS items (k text PRIMARY KEY, v text); INSERT INTO items VALUES ('\(key)', '\(value)') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
            redis: ["SET", key, value])
        try #require(result.status == 0, "write failed: \(result.stderr)")
    }

    /// The value under `key`, or nil.
    func read(_ key: String) async throws -> String? {
        let result = try await run(
            mysql: "SELECT v FROM items WHERE k = '\(key)'", postgresql: "SELECT v FROM items WHERE k = '\(key)'",
            redis: ["GET", key])
        try #require(result.status == 0, "read failed: \(result.stderr)")
        let text = result.stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return text.isEmpty ? nil : text
    }

    /// Removes everything written (rows or keys).
    func deleteAll() async throws {
        let result = try await run(mysql: "DELETE FROM items", postgresql: "DELETE FROM items", redis: ["FLUSHDB"])
        try #require(result.status == 0, "delete failed: \(result.stderr)")
    }

    /// Connects with these credentials to `other`'s database (or Redis instance).
    func connecting(to other: AddonClient) -> AddonClient {
        var target = other.url
        target.user = url.user
        target.password = url.password
        return AddonClient(kind: kind, url: target)
    }

    /// The same credentials on another database of the same server.
    func on(database: String) -> AddonClient {
        var target = url
        target.database = database
        return AddonClient(kind: kind, url: target)
    }

    private init(kind: AddonKind, url: AdminURL) {
        self.kind = kind
        self.url = url
    }

    private func run(mysql: String, postgresql: String, redis: [String]) async throws -> ProgramResult {
        let port = "\(url.port!)"
        switch kind {
        case .mysql:
            return try await runProgram(
                "/usr/bin/mariadb",
                ["--no-defaults", "--protocol=TCP", "-h", url.host, "-P", port, "-u", url.user, "-N", "-B", "-e", mysql,
                 url.database!],
                environment: ["MYSQL_PWD": url.password])
        case .postgresql:
            return try await runProgram(
                "/usr/bin/psql",
                ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-h", url.host, "-p", port, "-U", url.user, "-d", url.database!,
                 "-c", postgresql],
                environment: ["PGPASSWORD": url.password])
        default:
            return try await runProgram(
                "/usr/bin/redis-cli", ["-h", url.host, "-p", port, "--user", url.user, "--no-auth-warning", "-e"] + redis,
                environment: ["REDISCLI_AUTH": url.password])
        }
    }
}
