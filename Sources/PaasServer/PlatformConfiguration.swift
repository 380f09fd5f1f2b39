#if canImport(Glibc)
import Glibc
#endif
import PaasAddons
import PaasBuild
import PaasCore
import PaasRunner

/// Settings of `paasd up` / `paasd controller`, with the embedded defaults.
public struct PlatformConfiguration: Sendable {
    /// Everything the platform stores lives under this directory.
    public var dataDirectory: String = "/var/lib/paas"
    /// An external PostgreSQL (`postgres://user:pass@host:port/db`); nil runs an embedded cluster.
    public var databaseURL: String?
    /// Host of the API and git server.
    public var apiHost: String = "127.0.0.1"
    /// Port of the API and git server; 0 picks a free one.
    public var apiPort: Int = 5100
    /// The API's public URL, when it differs from `http://apiHost:apiPort` (e.g. behind a proxy).
    public var publicAPIURL: String?
    /// Apps are served at `<app>.<domain>`.
    public var domain: String = "localhost"
    /// The router's HTTP port (part of app URLs); 0 picks a free one.
    public var httpPort: Int = 8080
    /// The router's HTTPS port; nil serves no HTTPS.
    public var httpsPort: Int? = 8443
    /// The router's admin listener (`/healthz`, `/metrics`); nil serves none.
    public var routerAdminPort: Int? = 5300
    /// Whether this host runs the router (`paasd up` does).
    public var runsRouter = true
    /// Root filesystem of the bookworm stack's builds (`stacks/build-stack build DATA_DIR` prints
    /// it), `--build-stack`; part of `stacks`. Without any build root (and `buildpacksDirectory`)
    /// pushes are refused with a message saying so.
    public var buildStackPath: String?
    /// The built-in buildpacks (the repository's `buildpacks/`).
    public var buildpacksDirectory: String?
    /// Root filesystem of the bookworm stack's apps (`stacks/build-stack run DATA_DIR` prints it),
    /// `--run-stack`; part of `stacks`. With a run root (and `slugRunnerPath`) this host runs the
    /// apps' processes; without one releases are only recorded.
    public var runStackPath: String?
    /// Stacks besides the one `runStackPath`/`buildStackPath` make (`--stack NAME=RUN:BUILD`).
    public var extraStacks: [PlatformStack] = []
    /// The stack new apps get (`--default-stack`).
    public var defaultStack: String = Stack.defaultName
    /// The in-container start program (the repository's `slug-runner/slug-runner`).
    public var slugRunnerPath: String?
    /// The containers' bridge, subnet and nftables table.
    public var network = NetworkConfiguration()
    /// Host of the runner's API (the controller calls it).
    public var runnerHost: String = "127.0.0.1"
    /// Port of the runner's API; 0 picks a free one.
    public var runnerPort: Int = 5200
    /// How long a new web process may take to listen on `$PORT` before its release fails.
    public var bootTimeoutSeconds = 60
    /// The name this host's runner registers under (default: the host name).
    public var hostName: String = PlatformConfiguration.systemHostName()
    /// Removes the bridge and its nftables table at shutdown (tests; an installation keeps them).
    public var tearDownNetworkOnStop = false
    /// An existing MySQL/MariaDB server for add-ons (`mysql://root:pw@host:3306`); nil runs a
    /// managed MariaDB under `<data-dir>/addons/mysql`.
    public var mysqlAdminURL: AdminURL?
    /// An existing PostgreSQL server for add-ons; nil runs a managed cluster under `<data-dir>/addons/postgresql`.
    public var postgresAdminURL: AdminURL?
    /// The managed add-on servers' ports: MariaDB, PostgreSQL, and the range Redis instances take.
    public var addonPorts: (mysql: Int, postgresql: Int, redis: Range<Int>) = (13306, 15432, 16379..<16879)

    /// `network` with the host ports apps may reach besides DNS: the router's and the managed
    /// add-on servers' (every other port of the host is closed to containers).
    public var containerNetwork: NetworkConfiguration {
        var network = self.network
        network.hostServicePorts =
            [httpPort, httpsPort].compactMap { $0 }.map { $0...$0 }
            + [addonPorts.mysql...addonPorts.mysql, addonPorts.postgresql...addonPorts.postgresql]
            + (addonPorts.redis.isEmpty ? [] : [addonPorts.redis.lowerBound...(addonPorts.redis.upperBound - 1)])
        return network
    }

    public init() {}

    /// gethostname(2), or `localhost` when it fails.
    public static func systemHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Where the embedded cluster keeps its data.
    public var postgresDirectory: String { dataDirectory + "/postgres" }
    /// Where the embedded cluster's unix socket lives.
    public var socketDirectory: String { dataDirectory + "/run" }
    /// Blobs (slugs, build caches) of the filesystem blob store.
    public var blobsDirectory: String { dataDirectory + "/blobs" }
    /// The apps' bare git repositories.
    public var gitDirectory: String { dataDirectory + "/git" }
    /// Work space of running builds.
    public var buildsDirectory: String { dataDirectory + "/builds" }
    /// The runner's host token (the controller presents it to the runner).
    public var hostTokenPath: String { dataDirectory + "/host-token" }
    /// The admin token file written on first start.
    public var adminTokenPath: String { dataDirectory + "/admin-token" }
    /// The token this host's router uses with the controller (made on first start, 0600).
    public var routerTokenPath: String { dataDirectory + "/router-token" }
    /// The token runners on other hosts join with (`paasd runner --token-file`): scope `host`.
    public var joinTokenPath: String { dataDirectory + "/join-token" }

    /// Every stack: `bookworm` from `runStackPath`/`buildStackPath` (when either is set), then
    /// `extraStacks`.
    public var stacks: [PlatformStack] {
        let legacy = runStackPath != nil || buildStackPath != nil
            ? [PlatformStack(name: Stack.defaultName, runRoot: runStackPath, buildRoot: buildStackPath)] : []
        return legacy + extraStacks
    }

    /// Run roots by stack name.
    public var runStacks: [String: String] {
        Dictionary(stacks.compactMap { stack in stack.runRoot.map { (stack.name, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Build roots, in the order of `stacks`.
    public var buildStacks: [BuildStack] {
        stacks.compactMap { stack in stack.buildRoot.map { BuildStack(name: stack.name, rootPath: $0) } }
    }

    /// Checks that stack names are unique and that the default stack is one of them (with a run
    /// root when any stack has one, and a build root when any has one).
    public func validateStacks() throws {
        var seen = Set<String>()
        for stack in stacks where !seen.insert(stack.name).inserted {
            throw PlatformError(
                stack.name == Stack.defaultName && (runStackPath != nil || buildStackPath != nil)
                    ? "Stack \(stack.name) is given twice: by --run-stack/--build-stack and by --stack. Pass one of them."
                    : "Stack \(stack.name) is given twice with --stack. Pass each stack once.")
        }
        guard !stacks.isEmpty else { return }
        let names = stacks.map(\.name).joined(separator: ", ")
        guard let chosen = stacks.first(where: { $0.name == defaultStack }) else {
            throw PlatformError("--default-stack \(defaultStack) is not one of this platform's stacks (\(names)). Pass one of them, or add it with --stack.")
        }
        if chosen.runRoot == nil && !runStacks.isEmpty {
            throw PlatformError("The default stack \(defaultStack) has no run root, but other stacks do: give it one (--stack \(defaultStack)=RUN_ROOT:BUILD_ROOT).")
        }
        if chosen.buildRoot == nil && !buildStacks.isEmpty {
            throw PlatformError("The default stack \(defaultStack) has no build root, but other stacks do: give it one (--stack \(defaultStack)=RUN_ROOT:BUILD_ROOT).")
        }
    }

    /// Parses `host:port` (or `:port`, or `port`) into the API address.
    public mutating func setAPIListen(_ value: String) throws {
        (apiHost, apiPort) = try Self.listenAddress(value, default: apiHost, flag: "--api-listen", example: "127.0.0.1:5100")
    }

    /// Parses `host:port` (or `:port`, or `port`) into the runner API's address.
    public mutating func setRunnerListen(_ value: String) throws {
        (runnerHost, runnerPort) = try Self.listenAddress(value, default: runnerHost, flag: "--runner-listen", example: "127.0.0.1:5200")
    }

    /// Names the containers' bridge; its nftables table and network namespaces are named after it.
    public mutating func setBridge(_ name: String) throws {
        network.bridgeName = name
        network.tableName = name
        network.namespacePrefix = name + "-"
        do {
            try network.validate()
        } catch {
            throw PlatformError("--bridge takes an interface name of at most 15 letters, digits, '-' or '_'; got '\(name)'.")
        }
    }

    private static func listenAddress(_ value: String, default host: String, flag: String, example: String) throws -> (String, Int) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        let given = parts.count == 2 ? String(parts[0]) : host
        guard let last = parts.last, let port = Int(last), (0...65535).contains(port), parts.count <= 2 else {
            throw PlatformError("\(flag) takes HOST:PORT, e.g. \(example); got '\(value)'.")
        }
        return (given.isEmpty ? host : given, port)
    }
}

/// A start-up problem, said in words that name the setting to fix.
public struct PlatformError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
