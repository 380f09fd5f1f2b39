import PaasTesting
import Testing

@testable import PaasRunner

@Suite(.tags(.medium))
struct ContainerNetworkTests {
    @Test func containersOfAnAppGetDistinctAddressesAndReachEachOtherAndTheHostOverTheBridge() async throws {
        try await TestNetwork.withPrepared { network in
            let first = try await network.containers.create(id: "web-1", app: "shop")
            let second = try await network.containers.create(id: "web-2", app: "shop")
            #expect(first.address != second.address)
            #expect(network.configuration.subnet.containerAddresses.contains(first.address.value))
            #expect(network.configuration.subnet.containerAddresses.contains(second.address.value))
            #expect(first.namespacePath == "/run/netns/" + first.namespace)

            try await network.requireRouteThroughBridge(to: first.address)
            let server = try await NamespaceHTTPServer.start(in: first.namespace, address: first.address)
            defer { server.stop() }
            let fromHost = try await fetch(server.url)
            #expect(fromHost.status == 0, "\(fromHost.stderr)")
            #expect(fromHost.stdout == NamespaceHTTPServer.body)
            let fromOther = try await fetch(server.url, from: second.namespace)
            #expect(fromOther.status == 0, "\(fromOther.stderr)")
            #expect(fromOther.stdout == NamespaceHTTPServer.body)
        }
    }

    @Test func eth0HasTheConfiguredMTUAndADefaultRouteViaTheGateway() async throws {
        try await TestNetwork.withPrepared(mtu: 1350) { network in
            let attachment = try await network.containers.create(id: "overlay")
            #expect(attachment.mtu == 1350)
            #expect(attachment.gateway == network.configuration.gateway)
            #expect(attachment.hostInterface.count <= 15)
            let link = try await ip(["-n", attachment.namespace, "-o", "link", "show", "eth0"])
            #expect(link.contains("mtu 1350 "), "\(link)")
            #expect(link.contains("state UP"), "\(link)")
            let loopback = try await ip(["-n", attachment.namespace, "-o", "link", "show", "lo"])
            #expect(loopback.contains("LOWER_UP"), "\(loopback)")
            let route = try await ip(["-n", attachment.namespace, "route", "show", "default"])
            #expect(route.contains("default via \(network.configuration.gateway) dev eth0"), "\(route)")
            let hostEnd = try await ip(["-o", "link", "show", attachment.hostInterface])
            #expect(hostEnd.contains("mtu 1350 "), "\(hostEnd)")
            #expect(hostEnd.contains("master \(network.configuration.bridgeName) "), "\(hostEnd)")
        }
    }

    @Test func removeLeavesNoNamespaceNorVethAndFreesTheAddress() async throws {
        try await TestNetwork.withPrepared { network in
            let first = try await network.containers.create(id: "a")
            let second = try await network.containers.create(id: "b")
            try await network.containers.remove(id: "a")

            #expect(!(try await ip(["netns", "list"])).contains(first.namespace))
            let links = try await ip(["-o", "link"])
            #expect(!links.contains(first.hostInterface))
            #expect(links.contains(second.hostInterface))
            let third = try await network.containers.create(id: "c")
            #expect(third.address == first.address)
            // Removing what is already gone is fine.
            try await network.containers.remove(id: "a")
        }
    }

    @Test func observeFindsExistingNamespacesSoARestartedRunnerReusesNoAddress() async throws {
        try await TestNetwork.withPrepared { network in
            let first = try await network.containers.create(id: "web-1")
            let second = try await network.containers.create(id: "worker-1")

            // A restarted runner: a fresh ContainerNetwork with the same configuration.
            let restarted = try ContainerNetwork(configuration: network.configuration)
            let observed = try await restarted.observe()
            #expect(Set(observed.map(\.id)) == ["web-1", "worker-1"])
            #expect(observed.first { $0.id == "web-1" }?.address == first.address)
            #expect(observed.first { $0.id == "worker-1" }?.address == second.address)
            #expect(observed.first { $0.id == "web-1" }?.namespace == first.namespace)

            var allocator = IPAllocator(subnet: network.configuration.subnet, inUse: observed.compactMap(\.address))
            let next = try allocator.allocate()
            #expect(next != first.address && next != second.address)
            let created = try await restarted.create(id: "web-2")
            #expect(created.address == next)
            try await restarted.remove(id: "web-1")
            #expect(try await restarted.create(id: "web-3").address == first.address)
        }
    }

    @Test func aCreateThatFailsHalfwayLeavesNothingBehind() async throws {
        try await TestNetwork.withPrepared { network in
            let namespace = try network.containers.namespaceName(for: "clash")
            let hostInterface = ContainerNetwork.hostInterfaceName(for: namespace)
            // Something else holds the veth's host-side name, so creating the veth fails.
            _ = try await ip(["link", "add", hostInterface, "type", "bridge"])
            do {
                let error = await #expect(throws: RunnerError.self) {
                    try await network.containers.create(id: "clash")
                }
                #expect(error?.code == RunnerError.Code.commandFailed)
                #expect(!(try await ip(["netns", "list"])).contains(namespace))
                #expect(try await network.containers.create(id: "other").address.description.hasSuffix(".2"))
            } catch {
                _ = try? await ip(["link", "delete", hostInterface])
                throw error
            }
            _ = try await ip(["link", "delete", hostInterface])
        }
    }

    @Test func createFailsClearlyWhenTheHostNetworkIsNotPrepared() async throws {
        let network = try TestNetwork()
        let error = await #expect(throws: RunnerError.self) { try await network.containers.create(id: "web-1") }
        #expect(error?.code == RunnerError.Code.bridgeMissing)
        #expect(error?.message.contains("prepare") == true)
        #expect(!(try await ip(["netns", "list"])).contains(network.configuration.namespacePrefix))
    }
}
