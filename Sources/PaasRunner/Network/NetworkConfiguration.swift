/// Settings of the container network: the bridge, its subnet, the MTU, the nftables table and
/// how network namespaces are named. The defaults are what a single-host `paasd` uses; several
/// networks with distinct names and subnets can live side by side on one host (tests do).
public struct NetworkConfiguration: Sendable, Equatable {
    /// The bridge the containers' veth pairs attach to, at most 15 characters. Default `paas0`.
    public var bridgeName: String
    /// The containers' subnet; the bridge holds its first host address. Default `10.213.0.0/16`.
    public var subnet: IPv4Subnet
    /// The MTU of the bridge and every container interface. Default 1500; on a VXLAN overlay it
    /// must leave room for the encapsulation (1350 under this machine's 1400 underlay).
    public var mtu: Int
    /// The nftables table (family `ip`) the platform owns for NAT and forwarding. Default `paas`.
    public var tableName: String
    /// The prefix of every network namespace name: a container `ID` gets `<prefix><ID>`.
    /// Default `paas-`.
    public var namespacePrefix: String
    /// The host's TCP ports containers may connect to (on any of the host's addresses), besides
    /// DNS on 53: the router's and the managed add-on servers'. Every other port of the host is
    /// closed to them.
    public var hostServicePorts: [ClosedRange<Int>] = []

    /// The subnet a default network uses.
    // A literal that parses, so the `try!` cannot fail.
    public static let defaultSubnet = try! IPv4Subnet(cidr: "10.213.0.0/16")

    /// The MTUs accepted: IPv4's minimum through the largest a bridge supports.
    public static let mtus = 68...65535

    public init(
        bridgeName: String = "paas0", subnet: IPv4Subnet = defaultSubnet, mtu: Int = 1500,
        tableName: String = "paas", namespacePrefix: String = "paas-"
    ) {
        self.bridgeName = bridgeName
        self.subnet = subnet
        self.mtu = mtu
        self.tableName = tableName
        self.namespacePrefix = namespacePrefix
    }

    /// The gateway of the containers: the bridge's address.
    public var gateway: IPv4Address { subnet.gateway }

    /// Fails, naming the setting, when a name or the MTU cannot be used with `ip` and `nft`.
    public func validate() throws {
        guard (1...15).contains(bridgeName.utf8.count), bridgeName.utf8.allSatisfy(Self.isNameByte) else {
            throw invalid("bridge name \"\(bridgeName)\" must be 1 to 15 letters, digits, '-', '_' or '.'")
        }
        guard let first = tableName.first, first.isASCII, first.isLetter,
            tableName.utf8.count <= 64,
            tableName.utf8.allSatisfy({ Self.isNameByte($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "-") })
        else {
            throw invalid("nftables table name \"\(tableName)\" must start with a letter and hold at most 64 "
                + "letters, digits or '_'")
        }
        guard !namespacePrefix.isEmpty, namespacePrefix.utf8.count <= 32,
            namespacePrefix.utf8.allSatisfy(Self.isNameByte), namespacePrefix.first != "."
        else {
            throw invalid("namespace prefix \"\(namespacePrefix)\" must be 1 to 32 letters, digits, '-', '_' or '.' "
                + "and not start with '.'")
        }
        guard Self.mtus.contains(mtu) else {
            throw invalid("MTU \(mtu) is out of range: use \(Self.mtus.lowerBound) through \(Self.mtus.upperBound)")
        }
    }

    /// Letters, digits, `-`, `_` and `.`: safe in interface, namespace and file names.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    private func invalid(_ message: String) -> RunnerError {
        RunnerError(code: RunnerError.Code.invalidConfiguration, message: message)
    }
}
