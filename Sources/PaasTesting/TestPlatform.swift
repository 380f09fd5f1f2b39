#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import PaasClient
import PaasController
import PaasRouter
import PaasServer
import PaasSupport
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
    /// The router's ports, when the platform runs apps (and so a router).
    public var routerPorts: RouterPorts?
    /// A client authenticated with the admin token.
    public var client: ControllerClient { ControllerClient(baseURL: apiURL, token: adminToken) }

    /// Starts a platform, runs `body` with it, then stops it and deletes its data. With `builds`,
    /// pushes build on the build stack of `TestStacks` with the repository's buildpacks.
    /// With `runs`, the platform runs the apps' processes in containers on a bridge of its own
    /// (unique name and subnet, removed at the end), and web processes get `bootTimeoutSeconds`.
    ///
    /// With `keeping`, the platform uses that data directory and leaves it in place, so that a
    /// second call starts the same platform again (a restart).
    ///
    /// With `trixie`, the platform has the trixie stack of `TestStacks` besides bookworm (its
    /// build root with `builds`, its run root with `runs`); `defaultStack` is the stack new apps get.
    public static func withRunning<T: Sendable>(
        builds: Bool = false, runs: Bool = false, bootTimeoutSeconds: Int = 60, keeping kept: String? = nil,
        trixie: Bool = false, defaultStack: String? = nil,
        _ body: (TestPlatform) async throws -> T
    ) async throws -> T {
        let directory = try kept ?? TemporaryDirectory.make(prefix: "paas-test")
        defer { if kept == nil { TemporaryDirectory.remove(directory) } }
        if !FileManager.default.fileExists(atPath: directory + "/postgres") {
            try await PostgresTemplate.copy(into: directory + "/postgres")
        }
        var configuration = PlatformConfiguration()
        configuration.dataDirectory = directory
        // A router (on free ports) only where apps run.
        configuration.runsRouter = runs
        if runs {
            configuration.httpPort = 0
            configuration.httpsPort = 0
            configuration.routerAdminPort = 0
        }
        // Add-on servers on ports of their own, so that platforms of tests running side by side never meet.
        // Redis instances probe for a free port in a range of their own (disjoint from FreePort's), one per add-on.
        // A restarted platform keeps its ports: the add-ons' URLs name them.
        let (mysql, postgresql) = try Self.addonPorts(in: directory)
        configuration.addonPorts = (mysql, postgresql, FreePort.probingServers)
        if builds {
            configuration.buildStackPath = try TestStacks.buildStack()
            configuration.buildpacksDirectory = TestBinaries.packageRoot + "/buildpacks"
        }
        if runs {
            configuration.runStackPath = try TestStacks.runStack()
            configuration.slugRunnerPath = TestBinaries.packageRoot + "/slug-runner/slug-runner"
            configuration.network = try TestNetworks.unique()
            configuration.runnerPort = 0
            configuration.tearDownNetworkOnStop = true
            configuration.bootTimeoutSeconds = bootTimeoutSeconds
        }
        if trixie {
            // Without builds or runs the stacks have no roots: the platform knows them by name only.
            let bookworm = builds || runs ? [] : [PlatformStack(name: "bookworm", runRoot: nil, buildRoot: nil)]
            configuration.extraStacks = bookworm + [
                PlatformStack(
                    name: "trixie", runRoot: runs ? try TestStacks.trixieRunStack() : nil,
                    buildRoot: builds ? try TestStacks.trixieBuildStack() : nil)
            ]
        }
        if let defaultStack { configuration.defaultStack = defaultStack }
        try configuration.validateStacks()
        let running = try await RunningPlatform.start(configuration: configuration)
        let token = try String(contentsOfFile: directory + "/admin-token", encoding: .utf8).trimmed
        let result = await Result(catching: {
            try await body(
                TestPlatform(apiURL: running.apiURL, adminToken: token, dataDirectory: directory, routerPorts: running.routerPorts))
        })
        await running.stop()
        return try result.get()
    }
}

extension TestPlatform {
    /// The MySQL and PostgreSQL add-on ports of the platform in `directory`: free ones, chosen
    /// once and kept in a file there.
    static func addonPorts(in directory: String) throws -> (Int, Int) {
        let file = directory + "/test-addon-ports"
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let ports = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if ports.count == 2 { return (ports[0], ports[1]) }
        }
        let ports = (try FreePort.find(), try FreePort.find())
        try "\(ports.0) \(ports.1)".write(toFile: file, atomically: true, encoding: .utf8)
        return ports
    }
}

/// A platform running in this process, on a port picked for it.
private struct RunningPlatform {
    let apiURL: String
    let routerPorts: RouterPorts?
    let task: Task<Void, any Error>
    let stopRequest: AsyncStream<Void>.Continuation

    /// Starts a platform; a port taken between picking and binding it is picked again.
    static func start(configuration: PlatformConfiguration) async throws -> RunningPlatform {
        for attempt in 1... {
            do {
                var configuration = configuration
                configuration.apiPort = try FreePort.find()
                return try await startOnce(configuration: configuration)
            } catch let error as IOError where error.errnoCode == EADDRINUSE && attempt < 10 {
                continue
            }
        }
        fatalError("unreachable")
    }

    private static func startOnce(configuration: PlatformConfiguration) async throws -> RunningPlatform {
        var logger = Logger(label: "paasd-test")
        // Shutdown with the shared HTTP client's idle keep-alive connections open logs errors that
        // are expected here; PAAS_TEST_LOG_LEVEL=debug shows everything when a test needs it.
        logger.logLevel = getenv("PAAS_TEST_LOG_LEVEL").flatMap { Logger.Level(rawValue: String(cString: $0)) } ?? .critical
        let platform = Platform(configuration: configuration, logger: logger)

        let (readiness, continuation) = AsyncStream<Platform.Ready>.makeStream()
        let (stopRequests, stop) = AsyncStream<Void>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await platform.run(shutdownSignals: [], stopRequests: stopRequests) { continuation.yield($0) }
        }
        var iterator = readiness.makeAsyncIterator()
        guard let ready = await iterator.next() else {
            try await task.value
            throw TestFailure("The test platform stopped before it was ready.")
        }
        return RunningPlatform(apiURL: ready.apiURL, routerPorts: ready.routerPorts, task: task, stopRequest: stop)
    }

    /// Asks for a graceful shutdown and waits for it (PostgreSQL included).
    func stop() async {
        stopRequest.yield()
        stopRequest.finish()
        _ = await task.result
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
