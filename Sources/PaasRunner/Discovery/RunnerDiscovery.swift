import Logging
import PaasAPI
import PaasDiscovery
import Synchronization

/// DNS discovery of one host: a DNS server on the bridge gateway, port 53, that
/// answers `<type>.<app>.internal` from the runner's live processes and forwards every other
/// name to the host's resolvers. Containers' `resolv.conf` points at it. A container gets the
/// names of its own app and of the apps it is linked to only (`Runner.discoveryAudience`).
public final class RunnerDiscovery: Sendable {
    /// The server; its table follows the runner.
    public let server: DNSServer
    private let names: Names
    private let tasks: [Task<Void, Never>]

    /// Binds the server on `host:port` and keeps its table in step with `runner`. `staticNames`
    /// are fixed names such as `mysql.addons.internal`.
    public init(
        runner: Runner, host: String, port: Int = 53, staticNames: [String: [String]] = [:], logger: Logger
    ) async throws {
        let server = try await DNSServer(
            configuration: DiscoveryConfiguration(host: host, port: port), audience: runner.discoveryAudience, logger: logger)
        let names = Names(server: server, staticNames: staticNames)
        names.set(entries: await runner.discoveryEntries())
        let serving = Task {
            do { try await server.run() } catch { logger.error("DNS server stopped", metadata: ["error": "\(error)"]) }
        }
        let following = Task {
            for await _ in runner.changes { names.set(entries: await runner.discoveryEntries()) }
        }
        self.server = server
        self.names = names
        self.tasks = [serving, following]
    }

    /// Replaces the fixed names (add-on servers), keeping the processes.
    public func update(staticNames: [String: [String]]) {
        names.set(staticNames: staticNames)
    }

    /// Stops answering and closes the server's sockets.
    public func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// What the server's table holds, changed one part at a time.
    private final class Names: Sendable {
        let server: DNSServer
        let state: Mutex<(entries: [DiscoveryEntry], staticNames: [String: [String]])>

        init(server: DNSServer, staticNames: [String: [String]]) {
            self.server = server
            self.state = Mutex(([], staticNames))
        }

        func set(entries: [DiscoveryEntry]? = nil, staticNames: [String: [String]]? = nil) {
            state.withLock { current in
                if let entries { current.entries = entries }
                if let staticNames { current.staticNames = staticNames }
                server.update(entries: current.entries, staticNames: current.staticNames)
            }
        }
    }
}
