// A container network of its own per test: bridge, subnet, nftables table and namespace prefix
// are unique, so tests run in parallel with each other and next to a real paasd's `paas0`.
#if canImport(Glibc)
import Glibc
#endif
import PaasTesting
import Synchronization
import Testing

@testable import PaasRunner

struct TestNetwork {
    let configuration: NetworkConfiguration
    let host: HostNetwork
    let containers: ContainerNetwork

    /// Hands out distinct `10.214.X.0/24` subnets within this test process, from a random start.
    private static let nextSubnet = Atomic<Int>(Int.random(in: 0..<256))

    /// A network with unique names and subnet; nothing is created on the host yet.
    init(mtu: Int = 1500, hostServicePorts: [ClosedRange<Int>] = []) throws {
        // A missing prerequisite fails the test, never skips it.
        guard getuid() == 0 else { throw TestFailure("The network tests change the host's network and must run as root.") }
        let token = String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
        let third = UInt8(Self.nextSubnet.add(1, ordering: .relaxed).oldValue % 256)
        var configuration = NetworkConfiguration(
            bridgeName: "pt" + token, subnet: try IPv4Subnet(network: IPv4Address(10, 214, third, 0), prefixLength: 24),
            mtu: mtu, tableName: "pt_" + token, namespacePrefix: "pt" + token + "-")
        configuration.hostServicePorts = hostServicePorts
        self.configuration = configuration
        host = try HostNetwork(configuration: configuration)
        containers = try ContainerNetwork(configuration: configuration)
    }

    /// Runs `body` with a prepared network, then removes every namespace of it, the table and the
    /// bridge, also when `body` throws.
    static func withPrepared(
        mtu: Int = 1500, hostServicePorts: [ClosedRange<Int>] = [], _ body: (TestNetwork) async throws -> Void
    ) async throws {
        let network = try TestNetwork(mtu: mtu, hostServicePorts: hostServicePorts)
        do {
            try await network.host.prepare()
            try await body(network)
        } catch {
            await network.cleanUp()
            throw error
        }
        await network.cleanUp()
    }

    /// Removes everything this network may have made; records failures without throwing.
    func cleanUp() async {
        do {
            for observed in try await containers.observe() {
                try await containers.remove(id: observed.id)
            }
            try await host.tearDown()
        } catch {
            Issue.record(error, "cleaning up the test network failed")
        }
    }

    /// The interface `ip route get` picks for `address`. Tests check it is the bridge before
    /// sending anything: traffic must never leave the machine.
    func requireRouteThroughBridge(to address: IPv4Address) async throws {
        let route = try await ip(["-o", "route", "get", "\(address)"])
        let words = route.split(separator: " ")
        let device = words.firstIndex(of: "dev").map { words[$0 + 1] }
        try #require(device.map(String.init) == configuration.bridgeName, "route to \(address): \(route)")
    }
}

/// Runs `ip` and returns its standard output; fails when it fails.
func ip(_ arguments: [String]) async throws -> String {
    let result = try await runProgram("/usr/sbin/ip", arguments)
    guard result.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")): \(result.stderr)") }
    return result.stdout
}

/// Fetches `url` with curl, from the host or from inside `namespace`; never through a proxy.
func fetch(_ url: String, from namespace: String? = nil) async throws -> ProgramResult {
    let curl = ["/usr/bin/curl", "--noproxy", "*", "--silent", "--show-error", "--max-time", "3", url]
    guard let namespace else { return try await runProgram(curl[0], Array(curl.dropFirst())) }
    return try await runProgram("/usr/sbin/ip", ["netns", "exec", namespace] + curl)
}
