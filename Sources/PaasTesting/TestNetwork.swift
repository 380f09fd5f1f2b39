#if canImport(Glibc)
import Glibc
#endif
import Logging
import PaasDiscovery
import PaasRunner
import Testing

/// A container network of its own per test: bridge, subnet, nftables table and namespace prefix
/// are unique, so tests run in parallel with each other and next to a real paasd's `paas0`.
public struct TestNetwork: Sendable {
    public let configuration: NetworkConfiguration
    public let host: HostNetwork
    public let containers: ContainerNetwork

    /// A network with unique names and subnet (`TestNetworks.unique()`); nothing is created on
    /// the host yet.
    public init(mtu: Int = 1500, hostServicePorts: [ClosedRange<Int>] = []) throws {
        // A missing prerequisite fails the test, never skips it.
        guard getuid() == 0 else { throw TestFailure("The network tests change the host's network and must run as root.") }
        var configuration = try TestNetworks.unique()
        configuration.mtu = mtu
        configuration.hostServicePorts = hostServicePorts
        self.configuration = configuration
        host = try HostNetwork(configuration: configuration)
        containers = try ContainerNetwork(configuration: configuration)
    }

    /// Runs `body` with a prepared network, then removes every namespace of it, the table and the
    /// bridge, also when `body` throws. With `dns`, a DNS server answers on the gateway (port 53)
    /// as the runner's does, forwarding to the host's resolvers, for containers that resolve
    /// outside names.
    public static func withPrepared(
        mtu: Int = 1500, hostServicePorts: [ClosedRange<Int>] = [], dns: Bool = false,
        _ body: (TestNetwork) async throws -> Void
    ) async throws {
        let network = try TestNetwork(mtu: mtu, hostServicePorts: hostServicePorts)
        do {
            try await network.host.prepare()
            if dns {
                try await network.withDNSServer { try await body(network) }
            } else {
                try await body(network)
            }
        } catch {
            await network.cleanUp()
            throw error
        }
        await network.cleanUp()
    }

    /// Runs `body` while a DNS server listens on the gateway, and waits for it to close.
    private func withDNSServer(_ body: () async throws -> Void) async throws {
        let server = try await DNSServer(
            configuration: DiscoveryConfiguration(host: "\(configuration.gateway)", port: 53),
            audience: containers.audience, logger: Logger(label: "paas.test.dns"))
        let serving = Task { try await server.run() }
        do {
            try await body()
        } catch {
            serving.cancel()
            _ = await serving.result
            throw error
        }
        serving.cancel()
        _ = await serving.result
    }

    /// Removes everything this network may have made; records failures without throwing.
    public func cleanUp() async {
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
    public func requireRouteThroughBridge(to address: IPv4Address) async throws {
        let result = try await runProgram("/usr/sbin/ip", ["-o", "route", "get", "\(address)"])
        let route = result.stdout
        let words = route.split(separator: " ")
        let device = words.firstIndex(of: "dev").map { words[$0 + 1] }
        try #require(device.map(String.init) == configuration.bridgeName, "route to \(address): \(route)")
    }
}
