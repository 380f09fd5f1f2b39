import Logging
import PaasAPI
import PaasBlobs
import PaasContainers

/// Launches app processes as run containers on this host: the release's slug from
/// the slug cache, the run stack as root, and for every run a network namespace of its own on
/// the platform bridge, removed with the container.
public struct ContainerLauncherFactory: ProcessLauncherFactory {
    /// Where the pieces of a run container come from.
    public struct Configuration: Sendable {
        /// The default stack's run root: processes whose request names no stack run on it.
        public var stackPath: String
        /// The default stack's name.
        public var stackName: String = "bookworm"
        /// Every stack this host runs, by name: its run root (the default one included).
        public var stacks: [String: String]
        /// The host's copy of `slug-runner/slug-runner`.
        public var slugRunnerPath: String
        /// Where containers' bundles live (`<data-dir>/containers`).
        public var containersDirectory: String
        /// The resolver containers use (the platform's DNS server on the bridge), if any.
        public var nameserver: String?

        public init(stackPath: String, slugRunnerPath: String, containersDirectory: String, nameserver: String? = nil) {
            self.stackPath = stackPath
            self.stacks = ["bookworm": stackPath]
            self.slugRunnerPath = slugRunnerPath
            self.containersDirectory = containersDirectory
            self.nameserver = nameserver
        }

        /// Runs on the given stacks (name → run root), `defaultStack` for requests naming none.
        public init(
            stacks: [String: String], defaultStack: String, slugRunnerPath: String, containersDirectory: String,
            nameserver: String? = nil
        ) {
            self.init(
                stackPath: stacks[defaultStack] ?? "", slugRunnerPath: slugRunnerPath,
                containersDirectory: containersDirectory, nameserver: nameserver)
            self.stackName = defaultStack
            self.stacks = stacks
        }

        /// The run root of the stack `name` (nil: the default stack's), or `unknown_stack`.
        public func stackPath(for name: String?) throws -> String {
            guard let name, name != stackName else { return stackPath }
            guard let path = stacks[name] else {
                let known = stacks.keys.sorted().joined(separator: ", ")
                throw RunnerError(
                    code: "unknown_stack",
                    message: "This runner has no stack '\(name.prefix(40))' (it has: \(known)). Start it with that stack (--stack NAME=RUN_ROOT:BUILD_ROOT), or set the app's stack with 'paas stack:set' and push again.",
                    kind: .invalid)
            }
            return path
        }
    }

    let configuration: Configuration
    let slugs: SlugCache
    let network: ContainerNetwork
    let runtime: ContainerRuntime
    let logger: Logger

    public init(
        configuration: Configuration, slugs: SlugCache, network: ContainerNetwork, runtime: ContainerRuntime = ContainerRuntime(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.slugs = slugs
        self.network = network
        self.runtime = runtime
        self.logger = logger
    }

    public func setLinks(app: String, reaches: Set<String>) async throws {
        try await network.setLinks(app: app, reaches: reaches)
    }

    public var containerNetwork: ContainerNetwork? { network }

    public func launcher(for request: ProcessStartRequest, output: @escaping @Sendable (String) -> Void) async throws
        -> any ProcessLauncher
    {
        try containerLauncher(for: request, output: output)
    }

    public func runAttached(
        _ request: ProcessStartRequest, terminal: TerminalSize?, _ body: (AttachedProcess) async throws -> Void
    ) async throws {
        try await containerLauncher(for: request) { _ in }.runAttached(terminal: terminal, body)
    }

    private func containerLauncher(for request: ProcessStartRequest, output: @escaping @Sendable (String) -> Void) throws
        -> ContainerLauncher
    {
        guard let slug = BlobID(sha256: request.slugID) else {
            throw RunnerError(code: "invalid_slug", message: "slug_id must be a sha256 (64 hexadecimal digits).", kind: .invalid)
        }
        let stackPath = try configuration.stackPath(for: request.stack)
        return ContainerLauncher(factory: self, request: request, slug: slug, stackPath: stackPath, output: output)
    }
}

/// Starts one run of a process: slug, network, container — and undoes what it made when a step fails.
struct ContainerLauncher: ProcessLauncher {
    let factory: ContainerLauncherFactory
    let request: ProcessStartRequest
    let slug: BlobID
    /// The run root of the request's stack.
    let stackPath: String
    let output: @Sendable (String) -> Void

    func launch() async throws -> any RunningProcess {
        let (container, networkID, address) = try await makeContainer(terminal: nil)
        let output = self.output
        do {
            try await container.start { line in output(line.text) }
        } catch {
            try? await factory.network.remove(id: networkID)
            throw error
        }
        return ContainerProcess(container: container, network: factory.network, networkID: networkID, address: address)
    }

    /// The process's container (not started yet) on a network namespace of its own.
    func makeContainer(terminal: TerminalSize?) async throws -> (RunContainer, networkID: String, address: String) {
        let configuration = factory.configuration
        let slugPath = try await factory.slugs.prepare(slug)
        var spec = RunContainerSpec(
            app: request.app, release: "v\(request.release)", processName: request.dyno,
            command: request.command ?? [request.type], stackPath: stackPath, slugPath: slugPath,
            slugRunnerPath: configuration.slugRunnerPath)
        spec.environment = request.env
        spec.processTypes = request.processTypes
        spec.terminal = terminal.map { OCIConfiguration.ConsoleSize(height: $0.rows, width: $0.columns) }
        if let memory = request.memoryMiB { spec.memoryLimit = Int64(memory) << 20 }
        if let port = request.env["PORT"].flatMap(Int.init) { spec.port = port }
        let instance = RunContainer.newInstance()
        let networkID = "\(request.app).\(request.dyno).\(instance)"
        // The request carries the app's links as the controller has them now.
        if let reaches = request.reaches { try await factory.network.setLinks(app: request.app, reaches: Set(reaches)) }
        let attachment = try await factory.network.create(id: networkID, app: request.app)
        spec.networkNamespace = attachment.namespacePath
        spec.address = attachment.address.description
        spec.nameserver = configuration.nameserver
        let container = RunContainer(
            spec: spec, containersDirectory: configuration.containersDirectory, instance: instance,
            runtime: factory.runtime, logger: factory.logger)
        return (container, networkID, attachment.address.description)
    }
}

/// A running app container; its network namespace goes when it ends.
struct ContainerProcess: RunningProcess {
    let container: RunContainer
    let network: ContainerNetwork
    let networkID: String
    let address: String?

    func waitForExit() async -> ExitReason {
        let reason = await container.wait()
        try? await network.remove(id: networkID)
        return reason
    }

    func stop(grace: Duration) async {
        _ = await container.stop(grace: grace)
        try? await network.remove(id: networkID)
    }
}
