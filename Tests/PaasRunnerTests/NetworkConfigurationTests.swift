import PaasTesting
import Testing

@testable import PaasRunner

@Suite(.tags(.small))
struct NetworkConfigurationTests {
    @Test func defaultsAreTheSingleHostPlatformsNetwork() throws {
        let configuration = NetworkConfiguration()
        #expect(configuration.bridgeName == "paas0")
        #expect(configuration.subnet.description == "10.213.0.0/16")
        #expect(configuration.gateway == IPv4Address(10, 213, 0, 1))
        #expect(configuration.mtu == 1500)
        #expect(configuration.tableName == "paas")
        #expect(configuration.namespacePrefix == "paas-")
        try configuration.validate()
    }

    @Test(arguments: [
        NetworkConfiguration(bridgeName: "a-bridge-name-of-16"),
        NetworkConfiguration(bridgeName: ""),
        NetworkConfiguration(bridgeName: "br/0"),
        NetworkConfiguration(mtu: 67),
        NetworkConfiguration(tableName: "9paas"),
        NetworkConfiguration(tableName: "paas-net"),
        NetworkConfiguration(namespacePrefix: ""),
        NetworkConfiguration(namespacePrefix: "../x"),
    ])
    func rejectsNamesAndMTUsThatIpOrNftCannotUse(_ configuration: NetworkConfiguration) {
        let error = #expect(throws: RunnerError.self) { try configuration.validate() }
        #expect(error?.code == RunnerError.Code.invalidConfiguration)
        #expect(throws: RunnerError.self) { try HostNetwork(configuration: configuration) }
    }

    @Test func hostInterfaceNamesAreShortStableAndApartAcrossPrefixes() {
        let name = ContainerNetwork.hostInterfaceName(for: "paas-web-1-a-rather-long-container-id")
        #expect(name.count == 10 + 2)
        #expect(name.hasPrefix("vh"))
        #expect(name == ContainerNetwork.hostInterfaceName(for: "paas-web-1-a-rather-long-container-id"))
        #expect(ContainerNetwork.hostInterfaceName(for: "paas-web-1") != ContainerNetwork.hostInterfaceName(for: "pt-web-1"))
    }

    @Test(arguments: ["", "a/b", "a b", String(repeating: "x", count: 201)])
    func rejectsContainerIDsThatCannotNameANamespace(_ id: String) throws {
        let network = try ContainerNetwork()
        let error = #expect(throws: RunnerError.self) { try network.namespaceName(for: id) }
        #expect(error?.code == RunnerError.Code.invalidContainerID)
    }

    @Test func readsTheAddressFromIpAddrOutput() {
        let line = "2: eth0    inet 10.214.250.2/24 scope global eth0\\       valid_lft forever preferred_lft forever\n"
        #expect(ContainerNetwork.firstAddress(in: line) == IPv4Address(10, 214, 250, 2))
        #expect(ContainerNetwork.firstAddress(in: "") == nil)
    }
}
