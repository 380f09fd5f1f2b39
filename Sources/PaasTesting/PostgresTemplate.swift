#if canImport(Glibc)
import Glibc
#endif
import Logging
import PaasSupport

/// A cluster initialized once and copied for each test: `cp -a` of a fresh cluster is much
/// cheaper than initdb, and every test still gets a cluster of its own.
enum PostgresTemplate {
    /// Cached across test runs, keyed by the PostgreSQL bin directory it was made with.
    private static let root = "/var/tmp/paas-test-postgres-template"
    private static let preparation = Task { try await prepare() }

    /// Copies the template cluster to `destination` (which must not exist yet).
    static func copy(into destination: String) async throws {
        let template = try await preparation.value
        try await Command.run("cp", ["-a", template, destination])
    }

    private static func prepare() async throws -> String {
        let binDirectory = PostgresCluster.findBinDirectory() ?? "path"
        let key = binDirectory.split(separator: "/").joined(separator: "-")
        let template = "\(root)/\(key)"
        if access(template + "/PG_VERSION", F_OK) == 0 { return template }
        mkdir("/var/tmp", 0o1777)
        mkdir(root, 0o711)
        let building = "\(template).\(getpid())"
        try await Command.run("rm", ["-rf", building])
        let cluster = PostgresCluster(
            configuration: .init(dataDirectory: building, socketDirectory: building + ".run"),
            logger: Logger(label: "paas-test-template"))
        try await cluster.initializeIfNeeded()
        if rename(building, template) != 0 {
            // Another test process won the race; use its template.
            try await Command.run("rm", ["-rf", building])
        }
        return template
    }
}
