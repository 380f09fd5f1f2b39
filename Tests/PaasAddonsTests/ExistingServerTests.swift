import PaasAddons
import PaasBlobs
import PaasTesting
import Testing

/// Providers given an existing server's admin URL make add-ons there. The "existing" servers
/// are the managed ones of a fixture, with an admin account made for the test.
@Suite(.tags(.medium))
struct ExistingServerTests {
    @Test func mysqlAddonsOnAnExistingServer() async throws {
        try await AddonFixture.with(kinds: [.mysql]) { fixture in
            let managed = fixture.provider(.mysql)
            _ = try await managed.provision(name: AddonNames.generate(for: .mysql))  // starts the server
            let password = "admin" + String(Int.random(in: 100000...999999))
            let socket = fixture.directory + "/addons/mysql/run/mariadbd.sock"
            let made = try await runProgram(
                "/usr/bin/mariadb", ["--no-defaults", "--socket=\(socket)", "--user=root", "-e",
                "CREATE USER 'admin'@'%' IDENTIFIED BY '\(password)'; GRANT ALL ON *.* TO 'admin'@'%' WITH GRANT OPTION;"])
            try #require(made.status == 0, "\(made.stderr)")

            var configuration = MySQLConfiguration(directory: fixture.directory + "/external-mysql")
            configuration.adminURL = AdminURL("mysql://admin:\(password)@127.0.0.1:\(fixture.ports[.mysql]!)")
            try await exerciseExistingServer(MySQLProvider(configuration: configuration), store: fixture.blobStore)
        }
    }

    @Test func postgresqlAddonsOnAnExistingServer() async throws {
        try await AddonFixture.with(kinds: [.postgresql]) { fixture in
            let managed = fixture.provider(.postgresql)
            _ = try await managed.provision(name: AddonNames.generate(for: .postgresql))  // starts the cluster
            let password = "admin" + String(Int.random(in: 100000...999999))
            let port = fixture.ports[.postgresql]!
            let made = try await runProgram(
                "/usr/bin/setpriv",
                ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/bin/psql", "-X", "-v", "ON_ERROR_STOP=1",
                 "-h", fixture.directory + "/addons/postgresql/run", "-p", "\(port)", "-U", "paas", "-d", "postgres",
                 "-c", "CREATE ROLE admin LOGIN CREATEDB CREATEROLE PASSWORD '\(password)'",
                 "-c", "GRANT CONNECT ON DATABASE postgres TO admin"])
            try #require(made.status == 0, "\(made.stderr)")

            var configuration = PostgreSQLConfiguration(directory: fixture.directory + "/external-postgresql")
            configuration.adminURL = AdminURL("postgres://admin:\(password)@127.0.0.1:\(port)/postgres")
            try await exerciseExistingServer(PostgreSQLProvider(configuration: configuration), store: fixture.blobStore)
        }
    }

    /// Provision, isolation, backup and restore, deprovision — with no managed server.
    private func exerciseExistingServer(_ provider: any AddonProvider, store: FilesystemBlobStore) async throws {
        #expect(await provider.health().isHealthy)
        #expect(await provider.health().servers.isEmpty)
        let name = AddonNames.generate(for: provider.kind)
        let client = try AddonClient(try await provider.provision(name: name))
        let other = try AddonClient(try await provider.provision(name: AddonNames.generate(for: provider.kind)))
        try await client.write("k", "v1")
        #expect(try await !other.connecting(to: client).canConnect())

        let backup = try await provider.backup(name: name, into: store)
        try await client.write("k", "v2")
        try await provider.restore(name: name, from: backup.blobID, store: store)
        #expect(try await client.read("k") == "v1")

        try await provider.deprovision(name: name)
        #expect(try await !client.canConnect())
    }
}
