#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasRunner
import Synchronization

/// Container networks for test platforms: unique bridge, table, namespace prefix and subnet
/// (`10.215.X.0/24`), so test platforms run side by side and next to a real paasd's `paas0`.
///
/// A subnet already routed on the host (another test process's bridge, started by another
/// developer or helper on the same machine) is skipped.
public enum TestNetworks {
    private static let nextSubnet = Atomic<Int>(Int.random(in: 0..<256))

    /// A configuration no other test platform of this process uses, on a subnet the host does
    /// not route yet.
    public static func unique() throws -> NetworkConfiguration {
        let token = String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
        let routed = routedNetworks()
        var third = UInt8(nextSubnet.add(1, ordering: .relaxed).oldValue % 256)
        for _ in 0..<256 where routed.contains(where: { overlaps($0, third) }) {
            third = UInt8(nextSubnet.add(1, ordering: .relaxed).oldValue % 256)
        }
        return NetworkConfiguration(
            bridgeName: "pp" + token, subnet: try IPv4Subnet(network: IPv4Address(10, 215, third, 0), prefixLength: 24),
            mtu: 1500, tableName: "pp_" + token, namespacePrefix: "pp" + token + "-")
    }

    /// The host's routed IPv4 networks other than the default route, as (network, mask) in
    /// address order (first octet highest), from `/proc/net/route`.
    static func routedNetworks() -> [(network: UInt32, mask: UInt32)] {
        guard let data = FileManager.default.contents(atPath: "/proc/net/route") else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            // The kernel prints the big-endian words as host-order hex: read them back byte-swapped.
            guard fields.count > 7, let network = UInt32(fields[1], radix: 16), let mask = UInt32(fields[7], radix: 16),
                mask != 0
            else { return nil }
            return (network.byteSwapped, mask.byteSwapped)
        }
    }

    /// Whether `10.215.third.0/24` and `route` share an address.
    static func overlaps(_ route: (network: UInt32, mask: UInt32), _ third: UInt8) -> Bool {
        let subnet = UInt32(10) << 24 | UInt32(215) << 16 | UInt32(third) << 8
        let common = route.mask & 0xFFFF_FF00
        return subnet & common == route.network & common
    }
}
