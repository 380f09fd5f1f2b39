/// Runs SQL and dumps as the MySQL administrator: root over the managed server's socket, or an
/// existing server's admin user (password in `MYSQL_PWD`).
struct MySQLAdmin: Sendable {
    let client: ClientProgram
    /// Connection options for `mariadb` and `mariadb-dump` (no secrets).
    let connection: [String]

    /// The admin connection that `url` describes.
    init(url: AdminURL) {
        client = ClientProgram(environment: ["MYSQL_PWD": url.password])
        connection = ["--protocol=TCP", "--host=\(url.host)", "--port=\(url.port ?? 3306)", "--user=\(url.user)"]
    }

    init(client: ClientProgram, connection: [String]) {
        self.client = client
        self.connection = connection
    }

    /// Runs `sql` (passed on standard input, so `ps` never shows it) and returns the rows, tab-separated.
    @discardableResult
    func execute(_ sql: String, database: String? = nil, secrets: [String] = []) async throws -> String {
        var client = self.client
        client.secrets += secrets
        return try await client.run(
            "/usr/bin/mariadb", ["--no-defaults"] + connection + ["--batch", "--skip-column-names"] + (database.map { [$0] } ?? []),
            input: sql)
    }

    /// Dumps `database` as SQL into `file`.
    func dump(_ database: String, to file: String) async throws {
        try await client.run(
            "/usr/bin/mariadb-dump",
            ["--no-defaults"] + connection + ["--single-transaction", "--routines", "--triggers", "--events",
             "--result-file=\(file)", "--", database])
    }

    /// Runs the SQL in `file` against `database`.
    func load(_ database: String, from file: String) async throws {
        try await client.run(
            "/usr/bin/mariadb", ["--no-defaults"] + connection + ["--batch", database], inputFile: file)
    }
}
