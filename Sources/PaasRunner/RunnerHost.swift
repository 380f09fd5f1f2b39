import Logging
import PaasBlobs
import PaasContainers

/// A host made ready to run app processes: the platform bridge and its NAT prepared, whatever a
/// previous runner left behind (containers, network namespaces) removed, and a `Runner` that
/// launches run containers whose resolver is the host's DNS discovery server on the bridge
/// gateway (`RunnerDiscovery`). What `paasd up` (and `paasd runner`) start with.
public enum RunnerHost {
    /// What a runner needs of its host.
    public struct Configuration: Sendable {
        /// Where the runner keeps slugs, containers and logs (`<data-dir>`).
        public var dataDirectory: String
        /// The default stack's run root.
        public var stackPath: String
        /// The default stack's name: processes whose request names no stack run on it.
        public var stackName: String = "bookworm"
        /// Every stack this host runs, by name: its run root (the default one included).
        public var stacks: [String: String]
        /// The host's copy of `slug-runner/slug-runner`.
        public var slugRunnerPath: String
        /// The bridge, subnet and nftables table of the containers.
        public var network: NetworkConfiguration

        public init(dataDirectory: String, stackPath: String, slugRunnerPath: String, network: NetworkConfiguration) {
            self.dataDirectory = dataDirectory
            self.stackPath = stackPath
            self.stacks = ["bookworm": stackPath]
            self.slugRunnerPath = slugRunnerPath
            self.network = network
        }

        /// A host running the given stacks (name → run root), `defaultStack` for requests naming none.
        public init(
            dataDirectory: String, stacks: [String: String], defaultStack: String, slugRunnerPath: String,
            network: NetworkConfiguration
        ) {
            self.init(
                dataDirectory: dataDirectory, stackPath: stacks[defaultStack] ?? "", slugRunnerPath: slugRunnerPath,
                network: network)
            self.stackName = defaultStack
            self.stacks = stacks
        }

        var containersDirectory: String { dataDirectory + "/containers" }
    }

    /// Prepares the host and returns its runner (with no processes yet: the controller says
    /// what should run).
    public static func start(configuration: Configuration, blobs: any BlobStore, logger: Logger) async throws -> Runner {
        try await HostNetwork(configuration: configuration.network).prepare()
        let removed = try await RunContainer.removeLeftovers(in: configuration.containersDirectory, logger: logger)
        if !removed.isEmpty { logger.info("removed containers of an earlier run", metadata: ["count": "\(removed.count)"]) }
        let network = try ContainerNetwork(configuration: configuration.network)
        for leftover in try await network.observe() { try await network.remove(id: leftover.id) }
        let factory = ContainerLauncherFactory(
            configuration: .init(
                stacks: configuration.stacks, defaultStack: configuration.stackName,
                slugRunnerPath: configuration.slugRunnerPath, containersDirectory: configuration.containersDirectory,
                nameserver: "\(configuration.network.gateway)"),
            slugs: SlugCache(blobs: blobs, directory: configuration.dataDirectory + "/slugs", logger: logger),
            network: network, logger: logger)
        return Runner(factory: factory, logs: try LogStore(directory: configuration.dataDirectory + "/logs"))
    }
}
