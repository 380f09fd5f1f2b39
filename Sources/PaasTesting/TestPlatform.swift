#if canImport(Glibc)
import Glibc
#endif
import Logging
import PaasClient
import PaasController
import PaasServer
import PostgresNIO

/// A whole platform for one test: a temporary data directory, its own PostgreSQL cluster and the
/// controller API on a free port. Everything is stopped and removed when the body returns.
public struct TestPlatform: Sendable {
    /// The API's base URL, e.g. `http://127.0.0.1:41234`.
    public let apiURL: String
    /// The admin token created on start.
    public let adminToken: String
    /// The platform's data directory.
    public let dataDirectory: String
    /// A client authenticated with the admin token.
    public var client: ControllerClient { ControllerClient(baseURL: apiURL, token: adminToken) }

    /// Starts a platform, runs `body` with it, then stops it and deletes its data.
    public static func withRunning<T: Sendable>(_ body: (TestPlatform) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory.make(prefix: "paas-test")
        defer { TemporaryDirectory.remove(directory) }
        try await PostgresTemplate.copy(into: directory + "/postgres")
        var configuration = PlatformConfiguration()
        configuration.dataDirectory = directory
        configuration.apiPort = try FreePort.find()
        var logger = Logger(label: "paasd-test")
        // Shutdown with the shared HTTP client's idle keep-alive connections open logs errors that
        // are expected here; PAAS_TEST_LOG_LEVEL=debug shows everything when a test needs it.
        logger.logLevel = getenv("PAAS_TEST_LOG_LEVEL").flatMap { Logger.Level(rawValue: String(cString: $0)) } ?? .critical
        let platform = Platform(configuration: configuration, logger: logger)

        let (readiness, continuation) = AsyncStream<Platform.Ready>.makeStream()
        let (stopRequests, stop) = AsyncStream<Void>.makeStream()
        let running = Task {
            defer { continuation.finish() }
            try await platform.run(shutdownSignals: [], stopRequests: stopRequests) { continuation.yield($0) }
        }
        var iterator = readiness.makeAsyncIterator()
        guard let ready = await iterator.next(), let token = ready.createdAdminToken else {
            try await running.value
            throw TestFailure("The test platform stopped before it was ready.")
        }
        let result = await Result(catching: {
            try await body(TestPlatform(apiURL: ready.apiURL, adminToken: token, dataDirectory: directory))
        })
        stop.yield()
        stop.finish()
        _ = await running.result
        return try result.get()
    }
}

/// A failure of the test machinery itself (not of the code under test).
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension TestPlatform {
    /// Runs `body` with a store on the platform's own database, for tests that need state the API
    /// cannot make yet (e.g. releases with slugs before builds exist).
    public func withStore<T: Sendable>(_ body: (ControllerStore) async throws -> T) async throws -> T {
        var logger = Logger(label: "paas-test-store")
        logger.logLevel = .error
        let client = PostgresClient(
            configuration: .init(unixSocketPath: dataDirectory + "/run/.s.PGSQL.5432", username: "paas", password: nil, database: "paas"),
            backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(ControllerStore(client: client, logger: logger))
        }
    }
}
