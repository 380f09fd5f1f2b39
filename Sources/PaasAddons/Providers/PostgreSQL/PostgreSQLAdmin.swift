/// Runs SQL, dumps and restores as the PostgreSQL administrator: the superuser over the managed
/// cluster's socket, or an existing server's admin role (password in `PGPASSWORD`).
struct PostgreSQLAdmin: Sendable {
    let client: ClientProgram
    let binDirectory: String
    /// Connection options (no secrets).
    let connection: [String]
    /// The database to connect to for administration.
    let adminDatabase: String

    /// The admin connection that `url` describes.
    init(url: AdminURL, binDirectory: String) {
        client = ClientProgram(environment: ["PGPASSWORD": url.password])
        self.binDirectory = binDirectory
        connection = ["-h", url.host, "-p", "\(url.port ?? 5432)", "-U", url.user]
        adminDatabase = url.database ?? "postgres"
    }

    init(client: ClientProgram, binDirectory: String, connection: [String], adminDatabase: String) {
        self.client = client
        self.binDirectory = binDirectory
        self.connection = connection
        self.adminDatabase = adminDatabase
    }

    /// Runs `sql` (on standard input, stopping at the first error) and returns the rows.
    @discardableResult
    func execute(_ sql: String, secrets: [String] = []) async throws -> String {
        var client = self.client
        client.secrets += secrets
        return try await client.run(
            binDirectory + "/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"] + connection + ["-d", adminDatabase], input: sql)
    }

    /// Dumps `database` in pg_dump's custom format into `file`.
    func dump(_ database: String, to file: String) async throws {
        try await client.run(binDirectory + "/pg_dump", ["-Fc", "--no-owner", "--no-acl", "-f", file] + connection + ["-d", database])
    }

    /// Restores the custom-format dump in `file` into `database`, objects owned by `role`.
    func restore(_ database: String, from file: String, role: String) async throws {
        try await client.run(
            binDirectory + "/pg_restore",
            ["--no-owner", "--no-acl", "--exit-on-error", "--role=\(role)"] + connection + ["-d", database, file])
    }
}
