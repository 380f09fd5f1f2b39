import Logging
import PaasAPI
import PaasClient

/// A registered runner host the controller can reach.
public struct HostRunner: Sendable {
    public var name: String
    public var client: RunnerClient

    public init(name: String, client: RunnerClient) {
        self.name = name
        self.client = client
    }
}

/// A process and the host it runs on.
public struct PlacedProcess: Sendable {
    public var process: ProcessResource
    public var host: HostRunner
}

/// What runs where, read from every runner host that answers.
struct Cluster: Sendable {
    /// The hosts that answered, by name.
    var hosts: [HostRunner]
    /// Every process of those hosts.
    var processes: [PlacedProcess]
    /// Hosts that are registered but did not answer.
    var unreachable: [String]

    /// Asks every registered host for its processes; a host that does not answer is left out
    /// (its processes count as gone, so they start elsewhere).
    static func read(_ registered: [RegisteredHost], logger: Logger) async -> Cluster {
        let hosts = registered.map { HostRunner(name: $0.name, client: RunnerClient(baseURL: $0.runnerURL, token: $0.token)) }
        var cluster = Cluster(hosts: [], processes: [], unreachable: [])
        await withTaskGroup(of: (HostRunner, [ProcessResource]?).self) { group in
            for host in hosts {
                group.addTask { (host, try? await host.client.processes()) }
            }
            for await (host, processes) in group {
                guard let processes else {
                    logger.warning("runner host does not answer", metadata: ["host": "\(host.name)", "url": "\(host.client.baseURL)"])
                    cluster.unreachable.append(host.name)
                    continue
                }
                cluster.hosts.append(host)
                cluster.processes += processes.map { PlacedProcess(process: $0, host: host) }
            }
        }
        cluster.hosts.sort { $0.name < $1.name }
        return cluster
    }

    /// The processes of `app`.
    func processes(of app: String) -> [PlacedProcess] {
        processes.filter { $0.process.app == app }
    }

    /// A scheduler over these hosts, with their current load.
    func scheduler() -> Scheduler {
        Scheduler(hosts: hosts.map(\.name), processes: processes.map { ($0.host.name, $0.process.app) })
    }

    func host(named name: String) -> HostRunner? {
        hosts.first { $0.name == name }
    }
}

/// Chooses the host of each new process (pure): the host with the fewest processes of the same
/// app, then the fewest processes in all, then by name; so an app's processes spread over hosts.
struct Scheduler: Sendable {
    private(set) var hosts: [String]
    private var appLoad: [String: [String: Int]] = [:]
    private var totalLoad: [String: Int] = [:]

    init(hosts: [String], processes: [(host: String, app: String)]) {
        self.hosts = hosts
        for (host, app) in processes { record(app: app, on: host) }
    }

    /// The host for a new process of `app`, counted as placed there; nil without hosts.
    mutating func place(app: String) -> String? {
        guard let host = hosts.min(by: { lhs, rhs in
            (appLoad[app]?[lhs] ?? 0, totalLoad[lhs] ?? 0, lhs) < (appLoad[app]?[rhs] ?? 0, totalLoad[rhs] ?? 0, rhs)
        }) else { return nil }
        record(app: app, on: host)
        return host
    }

    private mutating func record(app: String, on host: String) {
        appLoad[app, default: [:]][host, default: 0] += 1
        totalLoad[host, default: 0] += 1
    }
}
