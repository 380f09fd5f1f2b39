/// An IPv4 network in CIDR notation (`10.213.0.0/16`) as the container network uses it: the first
/// host address is the gateway (the bridge), the ones after it up to the broadcast address are
/// for containers.
public struct IPv4Subnet: Sendable, Hashable, LosslessStringConvertible {
    /// The network address; its host bits are zero.
    public let network: IPv4Address
    /// The number of leading one bits of the mask, 8 through 30.
    public let prefixLength: Int

    /// The prefix lengths accepted: a /8 is already 16 million containers, and a /30 is the
    /// smallest network with a gateway and one container address.
    public static let prefixLengths = 8...30

    /// The subnet `network/prefixLength`; fails when the prefix length is outside
    /// `prefixLengths` or `network` has host bits set.
    public init(network: IPv4Address, prefixLength: Int) throws {
        guard Self.prefixLengths.contains(prefixLength) else {
            throw RunnerError(
                code: RunnerError.Code.invalidConfiguration,
                message: "subnet \(network)/\(prefixLength) has an unusable prefix length: use /8 through /30")
        }
        let mask = Self.mask(prefixLength)
        guard network.value & ~mask == 0 else {
            throw RunnerError(
                code: RunnerError.Code.invalidConfiguration,
                message: "subnet \(network)/\(prefixLength) has host bits set: use its network address "
                    + "\(IPv4Address(network.value & mask))/\(prefixLength)")
        }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses CIDR notation (`10.213.0.0/16`); fails with a message naming the expected form.
    public init(cidr: String) throws {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let network = IPv4Address(String(parts[0])),
            !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let prefixLength = Int(parts[1])
        else {
            throw RunnerError(
                code: RunnerError.Code.invalidConfiguration,
                message: "subnet \"\(cidr)\" is not in CIDR notation: write it like 10.213.0.0/16")
        }
        try self.init(network: network, prefixLength: prefixLength)
    }

    /// Parses CIDR notation; nil when `description` is not a usable subnet.
    public init?(_ description: String) {
        guard let subnet = try? Self(cidr: description) else { return nil }
        self = subnet
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// The netmask as a number (`/16` is `0xFFFF_0000`).
    public var mask: UInt32 { Self.mask(prefixLength) }

    /// The broadcast address: the last address of the subnet.
    public var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }

    /// The gateway: the first host address, which the bridge holds.
    public var gateway: IPv4Address { IPv4Address(network.value + 1) }

    /// The addresses containers may have: after the gateway, before the broadcast address.
    public var containerAddresses: ClosedRange<UInt32> { (network.value + 2)...(broadcast.value - 1) }

    /// Whether `address` lies in this subnet (network and broadcast addresses included).
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & mask == network.value
    }

    private static func mask(_ prefixLength: Int) -> UInt32 {
        UInt32.max << (32 - prefixLength)
    }
}
