/// Hands out container addresses of a subnet, lowest free first; a pure value with no I/O.
///
/// The network, gateway and broadcast addresses are never handed out. A restarted runner
/// rebuilds its allocator from the addresses it observes on the host (`init(subnet:inUse:)`).
public struct IPAllocator: Sendable {
    /// The subnet addresses come from.
    public let subnet: IPv4Subnet
    /// The container addresses handed out and not yet released.
    public private(set) var inUse: Set<IPv4Address>

    /// An allocator for `subnet` that treats `inUse` as taken. Addresses that are not container
    /// addresses of `subnet` (other subnets, the gateway, network or broadcast) are ignored: they
    /// can never be handed out anyway.
    public init(subnet: IPv4Subnet, inUse: some Sequence<IPv4Address> = []) {
        self.subnet = subnet
        self.inUse = Set(inUse.filter { subnet.containerAddresses.contains($0.value) })
    }

    /// Takes the lowest free container address; fails when every one is in use.
    public mutating func allocate() throws -> IPv4Address {
        // A linear scan keeps "lowest free first" exact; even a full /16 is 65k set lookups.
        for value in subnet.containerAddresses where !inUse.contains(IPv4Address(value)) {
            let address = IPv4Address(value)
            inUse.insert(address)
            return address
        }
        throw RunnerError(
            code: RunnerError.Code.addressesExhausted,
            message: "all \(subnet.containerAddresses.count) container addresses of \(subnet) are in use: "
                + "remove stopped containers or configure a larger subnet")
    }

    /// Gives `address` back; releasing an address that is not in use does nothing.
    public mutating func release(_ address: IPv4Address) {
        inUse.remove(address)
    }
}
