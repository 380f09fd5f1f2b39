import PaasTesting
import Testing

@testable import PaasRunner

@Suite(.tags(.medium))
struct HostNetworkTests {
    @Test func prepareTwiceIsHarmlessAndSetsUpBridgeForwardingAndMasquerade() async throws {
        try await TestNetwork.withPrepared(mtu: 1350) { network in
            try await network.host.prepare()
            let configuration = network.configuration
            let bridge = configuration.bridgeName
            let addresses = try await ip(["-4", "-o", "addr", "show", "dev", bridge])
            #expect(addresses.ranges(of: "inet ").count == 1, "\(addresses)")
            #expect(addresses.contains("inet \(configuration.gateway)/24 "), "\(addresses)")
            let link = try await ip(["-o", "link", "show", bridge])
            #expect(link.contains("mtu 1350 "), "\(link)")
            #expect(link.contains(",UP"), "\(link)")

            let forwarding = try await runProgram("/bin/cat", ["/proc/sys/net/ipv4/ip_forward"])
            #expect(forwarding.stdout == "1\n")
            let table = try await runProgram("/usr/sbin/nft", ["list", "table", "ip", configuration.tableName])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("ip saddr \(configuration.subnet) oifname != \"\(bridge)\" masquerade"))
            #expect(table.stdout.contains("iifname \"\(bridge)\" accept"))
            #expect(table.stdout.contains("oifname \"\(bridge)\" accept"))
            #expect(table.stdout.ranges(of: "masquerade").count == 1, "\(table.stdout)")
        }
    }

    @Test func tearDownLeavesNoBridgeAndNoTable() async throws {
        try await TestNetwork.withPrepared { network in
            try await network.host.tearDown()
            #expect(!(try await ip(["-o", "link"])).contains(network.configuration.bridgeName))
            let table = try await runProgram("/usr/sbin/nft", ["list", "table", "ip", network.configuration.tableName])
            #expect(table.status != 0)
            // A second tear-down finds nothing to do.
            try await network.host.tearDown()
        }
    }
}
