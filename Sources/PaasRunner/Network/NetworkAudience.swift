import PaasDiscovery
import Synchronization

/// What DNS discovery may tell each container on the bridge: the names of its own app and of the
/// apps it is linked to (`paas network:allow`), the same apps the firewall lets it reach. Kept
/// by `ContainerNetwork`, which changes it before a container's first packet and after its last.
///
/// An address of the subnet that belongs to no container sees no app; any other address (the
/// gateway, the host's own) sees every app.
public final class NetworkAudience: DiscoveryAudience {
    private let subnet: IPv4Subnet
    private let apps: Mutex<[IPv4Address: Set<String>]> = Mutex([:])

    init(subnet: IPv4Subnet) {
        self.subnet = subnet
    }

    public func visibleApps(from address: String) -> Set<String>? {
        guard let address = IPv4Address(address), subnet.contains(address), address != subnet.gateway else { return nil }
        return apps.withLock { $0[address] } ?? []
    }

    /// Replaces what every container sees: each container of `firewall` at its address in `addresses`.
    func update(firewall: AppFirewall, addresses: [String: IPv4Address]) {
        var visible: [IPv4Address: Set<String>] = [:]
        for (id, member) in firewall.members {
            guard let address = addresses[id] else { continue }
            visible[address] = Set([member.app]).union(firewall.links[member.app] ?? [])
        }
        apps.withLock { $0 = visible }
    }
}
