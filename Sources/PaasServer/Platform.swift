#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import PaasAddons
import PaasBlobs
import PaasBuild
import PaasController
import PaasClient
import PaasGit
import PaasRouter
import PaasRunner
import PaasSupport
import PostgresNIO
import ServiceLifecycle
import UnixSignals
import Synchronization

/// Everything `paasd up` runs on one host, wired together: the database (embedded or external)
/// and the controller API. Later components (git, runner, router) join here as services.
public struct Platform: Sendable {
    /// What a running platform tells whoever started it.
    public struct Ready: Sendable {
        /// The API's base URL with the port actually bound.
        public var apiURL: String
        /// The admin token, when this start created it (first start only).
        public var createdAdminToken: String?
        /// The router's bound ports, when this host runs the router.
        public var routerPorts: RouterPorts?
    }

    public let configuration: PlatformConfiguration
    let logger: Logger

    public init(configuration: PlatformConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a shutdown signal (or cancellation), then stops what it started.
    /// `stopRequests` lets an embedding program (tests) ask for the same graceful shutdown a signal gives.
    public func run(
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        stopRequests: AsyncStream<Void>? = nil,
        onReady: @escaping @Sendable (Ready) async -> Void = { _ in }
    ) async throws {
        try prepareDataDirectory()
        let cluster = configuration.databaseURL == nil ? makeCluster() : nil
        if let cluster { try await cluster.start(database: "paas") }
        let result = await Result(catching: {
            try await serve(databaseConfiguration: try databaseConfiguration(cluster: cluster), shutdownSignals: shutdownSignals, stopRequests: stopRequests, onReady: onReady)
        })
        if let cluster {
            // A fresh task: when shutdown came as cancellation, stopping PostgreSQL must still run.
            try await Task { try await cluster.stop() }.value
        }
        try result.get()
    }

    private func serve(
        databaseConfiguration: PostgresClient.Configuration, shutdownSignals: [UnixSignal],
        stopRequests: AsyncStream<Void>?, onReady: @escaping @Sendable (Ready) async -> Void
    ) async throws {
        let createdToken = SharedValue<String?>(nil)
        let database = PostgresClient(configuration: databaseConfiguration, backgroundLogger: logger)
        let store = ControllerStore(client: database, logger: logger)
        let host = configuration.apiHost
        let publicURL = configuration.publicAPIURL
        let controllerConfiguration = ControllerConfiguration(
            domain: configuration.domain, routerHTTPPort: configuration.httpPort,
            apiURL: publicURL ?? "http://\(host):\(configuration.apiPort)",
            stacks: configuration.stacks.map(\.info), defaultStack: configuration.defaultStack)
        let blobs = FilesystemBlobStore(root: configuration.blobsDirectory)
        let runnerService = try await makeRunnerService(blobs: blobs)
        let addons = makeAddons(runnerService: runnerService)
        let routes = RouteTablePublisher(store: store, configuration: controllerConfiguration, logger: logger)
        let deployer = {
            var deployer = Deployer(store: store, logger: logger)
            deployer.bootTimeoutSeconds = configuration.bootTimeoutSeconds
            deployer.routes = routes
            return deployer
        }()
        let builder = makeSlugBuilder(blobs: blobs, network: runnerService?.runner.network)
        do {
            try await builder?.removeLeftovers()
        } catch {
            logger.warning("cannot remove what earlier builds left behind", metadata: ["error": "\(error)"])
        }
        let git = GitReceiver(
            repositories: GitRepositories(root: configuration.gitDirectory),
            handler: PushPipeline(
                store: store, builder: builder, deployer: deployer,
                configuration: controllerConfiguration, workDirectory: configuration.buildsDirectory, logger: logger),
            logger: logger)
        let apiBase = SharedValue<String?>(nil)
        let routerToken = SharedValue<String?>(nil)
        let routerService = try makeRouterService(apiBase: apiBase, token: routerToken)
        var application = Application(
            router: Controller(
                store: store, configuration: controllerConfiguration, git: git, blobs: blobs, deployer: deployer, routes: routes,
                addons: addons
            ).makeRouter(),
            configuration: .init(address: .hostname(host, port: configuration.apiPort), serverName: "paasd"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                // The push hooks and the router run on this host and call over loopback when bound to all addresses.
                let loopbackURL = "http://\(host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host):\(port)"
                git.serverIsListening(at: loopbackURL)
                apiBase.withLock { $0 = loopbackURL }
                // The runner starts empty: bring back what should run, while the API already answers.
                Task { await deployer.convergeAll() }
                let routerPorts = try? await routerService?.router.boundPorts()
                await onReady(
                    Ready(apiURL: "http://\(host):\(port)", createdAdminToken: createdToken.withLock { $0 }, routerPorts: routerPorts))
            },
            logger: logger)
        application.addServices(database)
        application.beforeServerStarts { [adminTokenPath = configuration.adminTokenPath] in
            try await store.migrate()
            let token = try await Self.ensureAdminToken(store: store, path: adminTokenPath)
            createdToken.withLock { $0 = token }
            if routerService != nil {
                let token = try await Self.ensureToken(
                    named: "router", scope: .router, store: store, path: configuration.routerTokenPath)
                routerToken.withLock { $0 = token }
            }
            // For `paasd runner` on more hosts: registers a host and fetches slugs, nothing else.
            _ = try await Self.ensureToken(named: "join", scope: .host, store: store, path: configuration.joinTokenPath)
            // This host's runner is one runner host like any other (`paasd runner` on more hosts).
            if let runnerService {
                try await runnerService.waitUntilListening()
                if let client = runnerService.client() {
                    _ = try await store.registerHost(name: configuration.hostName, runnerURL: client.baseURL, token: runnerService.token)
                }
            }
            await startAddons(addons)
        }
        let group = ServiceGroup.daemon(
            [application, RouteWatchCloser(routes: routes)] + (runnerService.map { [$0.application] } ?? [])
                + (routerService.map { [$0] } ?? []),
            signals: shutdownSignals, logger: logger)
        let result = await Result(catching: {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if let stopRequests {
                    tasks.addTask {
                        for await _ in stopRequests {
                            await group.triggerGracefulShutdown()
                            return
                        }
                    }
                }
                // The group ends on a signal or a stop request (a graceful shutdown, which the
                // watcher's own end must not cut short); then the watcher is no longer needed.
                defer { tasks.cancelAll() }
                try await group.run()
            }
        })
        // A fresh task: when shutdown came as cancellation, stopping the processes must still run.
        if let runnerService {
            await Task { await runnerService.shutDown(tearDownNetwork: configuration.tearDownNetworkOnStop) }.value
        }
        await Task { await addons.stop() }.value
        try result.get()
    }

    /// Creates the admin token on a fresh installation and writes it (mode 0600) for the operator.
    /// Returns the token when it was created now.
    static func ensureAdminToken(store: ControllerStore, path: String) async throws -> String? {
        guard try await store.tokenCount() == 0 else { return nil }
        let token = try await store.createToken(name: "admin")
        try SecretFile.write(token + "\n", to: path)
        return token
    }

    /// The token in `path` when it is still valid with `scope`, or a new token named `name` of
    /// that scope written there (mode 0600).
    static func ensureToken(named name: String, scope: TokenScope, store: ControllerStore, path: String) async throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmed, !existing.isEmpty,
            (try? await store.tokenHolder(existing))??.scope == scope
        {
            return existing
        }
        let token = try await store.createToken(name: name, scope: scope)
        try SecretFile.write(token + "\n", to: path)
        return token
    }

    /// This host's router, following the controller's route table over the API.
    private func makeRouterService(apiBase: SharedValue<String?>, token: SharedValue<String?>) throws -> RouterService? {
        guard configuration.runsRouter else { return nil }
        var router = RouterConfiguration(host: "0.0.0.0", httpPort: configuration.httpPort, httpsPort: configuration.httpsPort)
        router.adminPort = configuration.routerAdminPort
        return try RouterService(
            configuration: router,
            controller: {
                while true {
                    if let url = apiBase.withLock({ $0 }), let token = token.withLock({ $0 }) {
                        return ControllerClient(baseURL: url, token: token)
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            },
            logger: logger)
    }

    private func prepareDataDirectory() throws {
        for directory in [configuration.dataDirectory, configuration.socketDirectory] {
            if mkdir(directory, 0o711) != 0 && errno != EEXIST {
                throw PlatformError("Cannot create \(directory): \(String(cString: strerror(errno))). Pass another --data-dir.")
            }
            // PostgreSQL runs as an unprivileged user and must be able to reach its directories.
            chmod(directory, 0o711)
        }
    }

    /// The runner of this host with its API, when the platform has a run stack.
    private func makeRunnerService(blobs: any BlobStore) async throws -> RunnerService? {
        let stacks = configuration.runStacks
        guard !stacks.isEmpty, let slugRunner = configuration.slugRunnerPath else { return nil }
        do {
            return try await RunnerService.start(
                host: .init(
                    dataDirectory: configuration.dataDirectory, stacks: stacks, defaultStack: configuration.defaultStack,
                    slugRunnerPath: slugRunner, network: configuration.containerNetwork),
                listen: (configuration.runnerHost, configuration.runnerPort), tokenPath: configuration.hostTokenPath,
                blobs: blobs, logger: logger)
        } catch {
            if configuration.tearDownNetworkOnStop { try? await HostNetwork(configuration: configuration.network).tearDown() }
            throw error
        }
    }

    /// The slugbuilder, when the platform has a build stack and buildpacks; its builds run on
    /// this host's container network (without a runner here: loopback only).
    private func makeSlugBuilder(blobs: any BlobStore, network: ContainerNetwork?) -> SlugBuilder? {
        let stacks = configuration.buildStacks
        guard let stack = stacks.first(where: { $0.name == configuration.defaultStack }) ?? stacks.first,
            let buildpacks = configuration.buildpacksDirectory
        else { return nil }
        var builder = SlugBuilder.Configuration(
            buildStackPath: stack.rootPath, builtinBuildpacksPath: buildpacks, workDirectory: configuration.buildsDirectory)
        builder.stackName = stack.name
        builder.stacks = stacks
        builder.network = network
        return SlugBuilder(configuration: builder, blobs: blobs, logger: logger)
    }

    private func makeCluster() -> PostgresCluster {
        PostgresCluster(
            configuration: .init(dataDirectory: configuration.postgresDirectory, socketDirectory: configuration.socketDirectory),
            logger: logger)
    }

    private func databaseConfiguration(cluster: PostgresCluster?) throws -> PostgresClient.Configuration {
        if let cluster {
            return .init(unixSocketPath: cluster.socketPath, username: cluster.configuration.superuser, password: nil, database: "paas")
        }
        return try DatabaseURL.configuration(from: configuration.databaseURL ?? "")
    }
}

/// A value shared between tasks, behind a lock.
final class SharedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
