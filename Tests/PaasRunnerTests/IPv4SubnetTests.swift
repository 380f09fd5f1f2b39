import PaasTesting
import Testing

@testable import PaasRunner

@Suite(.tags(.small))
struct IPv4SubnetTests {
    @Test func parsesCIDRAndDerivesGatewayBroadcastAndContainerAddresses() throws {
        let subnet = try IPv4Subnet(cidr: "10.213.0.0/16")
        #expect(subnet.network == IPv4Address(10, 213, 0, 0))
        #expect(subnet.prefixLength == 16)
        #expect(subnet.gateway == IPv4Address(10, 213, 0, 1))
        #expect(subnet.broadcast == IPv4Address(10, 213, 255, 255))
        #expect(subnet.containerAddresses.count == 65533)
        #expect(subnet.contains(IPv4Address(10, 213, 200, 1)))
        #expect(!subnet.contains(IPv4Address(10, 214, 0, 1)))
        #expect(subnet.description == "10.213.0.0/16")
    }

    @Test(arguments: [
        "10.0.0.0", "10.0.0.1/24", "10.0.0.0/31", "10.0.0.0/7", "300.0.0.0/8", "10.0.0.0/x",
        "10.0.0/24", "10.0.0.0/24/1", "", " 10.0.0.0/24",
    ])
    func rejectsWhatIsNotAUsableSubnet(_ text: String) throws {
        let error = try #require(throws: RunnerError.self) { try IPv4Subnet(cidr: text) }
        #expect(error.code == RunnerError.Code.invalidConfiguration)
        #expect(IPv4Subnet(text) == nil)
    }

    @Test func suggestsTheNetworkAddressWhenHostBitsAreSet() throws {
        let error = try #require(throws: RunnerError.self) { try IPv4Subnet(cidr: "10.213.4.5/16") }
        #expect(error.message.contains("10.213.0.0/16"))
    }

    @Test(arguments: ["1.2.3.4", "0.0.0.0", "255.255.255.255"])
    func addressesRoundTripThroughText(_ text: String) throws {
        #expect(try #require(IPv4Address(text)).description == text)
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "1.2.3.256", "1..3.4", "a.b.c.d", "+1.2.3.4", "1.2.3.0004"])
    func rejectsMalformedAddresses(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }
}
