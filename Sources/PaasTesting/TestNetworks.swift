import PaasRunner
import Synchronization

/// Container networks for test platforms: unique bridge, table, namespace prefix and subnet
/// (`10.215.X.0/24`), so test platforms run side by side and next to a real paasd's `paas0`.
public enum TestNetworks {
    private static let nextSubnet = Atomic<Int>(Int.random(in: 0..<256))

    /// A configuration no other test platform of this process uses.
    public static func unique() throws -> NetworkConfiguration {
        let token = String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
        let third = UInt8(nextSubnet.add(1, ordering: .relaxed).oldValue % 256)
        return NetworkConfiguration(
            bridgeName: "pp" + token, subnet: try IPv4Subnet(network: IPv4Address(10, 215, third, 0), prefixLength: 24),
            mtu: 1500, tableName: "pp_" + token, namespacePrefix: "pp" + token + "-")
    }
}
