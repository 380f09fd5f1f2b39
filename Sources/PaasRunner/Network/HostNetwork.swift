#if canImport(Glibc)
import Glibc
#endif

/// The host side of the container network: the bridge with the gateway address, IPv4
/// forwarding, and the platform's nftables table (egress NAT for the subnet, forwarding to and
/// from the bridge).
///
/// Needs root (CAP_NET_ADMIN) and the programs `ip` (iproute2) and `nft` (nftables); it installs
/// nothing itself.
public struct HostNetwork: Sendable {
    /// The bridge, subnet, MTU and table this host network sets up.
    public let configuration: NetworkConfiguration

    /// Where the kernel's IPv4 forwarding switch lives.
    static let ipForwardPath = "/proc/sys/net/ipv4/ip_forward"

    /// A host network for `configuration`; fails when a setting is invalid.
    public init(configuration: NetworkConfiguration = NetworkConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Creates or updates the bridge (gateway address, MTU, up), turns IPv4 forwarding on and
    /// replaces the nftables table with the platform's rules. Safe to call again at any time.
    ///
    /// The table is replaced as a whole in one transaction: the platform owns it, and rules added
    /// to it by hand are dropped.
    public func prepare() async throws {
        let ip = NetworkTool.ip
        let nft = NetworkTool.nft
        // Both programs are needed: fail before changing anything when one is missing.
        _ = try ip.path()
        _ = try nft.path()
        let bridge = configuration.bridgeName
        if !NetworkTool.linkExists(bridge) {
            do {
                try await ip.run(["link", "add", bridge, "type", "bridge"])
            } catch _ where NetworkTool.linkExists(bridge) {
                // Another process created it meanwhile: that is what we wanted.
            }
        }
        try await ip.run(["link", "set", bridge, "mtu", String(configuration.mtu), "up"])
        try await ip.run([
            "addr", "replace", "\(configuration.gateway)/\(configuration.subnet.prefixLength)", "dev", bridge,
        ])
        try enableIPv4Forwarding()
        try await nft.run(["-f", "-"], input: ruleset)
    }

    /// Removes the nftables table and the bridge; what is already gone is skipped. IPv4
    /// forwarding stays on, since other software on the host may rely on it.
    public func tearDown() async throws {
        // Declaring a table first makes deleting it succeed whether or not it exists.
        let tables = ["ip", "ip6", "bridge"].map { "table \($0) \(configuration.tableName)" }
        try await NetworkTool.nft.run(["-f", "-"], input: tables.map { "\($0)\ndelete \($0)\n" }.joined())
        let bridge = configuration.bridgeName
        if NetworkTool.linkExists(bridge) {
            do {
                try await NetworkTool.ip.run(["link", "delete", bridge, "type", "bridge"])
            } catch _ where !NetworkTool.linkExists(bridge) {
                // Removed by another process meanwhile.
            }
        }
    }

    /// The nftables script that replaces the platform's `ip` and `ip6` tables in one
    /// transaction:
    /// - masquerade what the subnet sends out of any interface but the bridge;
    /// - forward to and from the bridge, except to link-local addresses (cloud metadata);
    /// - from the bridge to the host itself, only DNS and `hostServicePorts` (and answers to
    ///   connections the host opened): not the runner's API, not SSH, not anything else
    ///   (refused at once, so an app sees "connection refused" rather than a hang);
    /// - no IPv6 from or to the bridge (containers have IPv4 only).
    /// Between containers, `AppFirewall`'s bridge table decides.
    var ruleset: String {
        let table = configuration.tableName
        let bridge = configuration.bridgeName
        let ports = Self.merged([53...53] + configuration.hostServicePorts)
            .map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
        return """
            table ip \(table)
            delete table ip \(table)
            table ip \(table) {
            \tchain postrouting {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip saddr \(configuration.subnet) oifname != "\(bridge)" masquerade
            \t}
            \tchain forward {
            \t\ttype filter hook forward priority filter; policy accept;
            \t\tiifname "\(bridge)" ip daddr 169.254.0.0/16 reject
            \t\tiifname "\(bridge)" accept
            \t\toifname "\(bridge)" accept
            \t}
            \tchain input {
            \t\ttype filter hook input priority filter; policy accept;
            \t\tiifname != "\(bridge)" accept
            \t\tct state established,related accept
            \t\tudp dport 53 accept
            \t\ttcp dport { \(ports) } accept
            \t\ticmp type echo-request accept
            \t\tmeta l4proto tcp reject with tcp reset
            \t\treject
            \t}
            }
            table ip6 \(table)
            delete table ip6 \(table)
            table ip6 \(table) {
            \tchain input {
            \t\ttype filter hook input priority filter; policy accept;
            \t\tiifname "\(bridge)" drop
            \t}
            \tchain forward {
            \t\ttype filter hook forward priority filter; policy accept;
            \t\tiifname "\(bridge)" drop
            \t\toifname "\(bridge)" drop
            \t}
            }

            """
    }

    /// `ranges` sorted, with overlapping and adjacent ones joined: nftables refuses a set whose
    /// intervals overlap.
    static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Writes 1 to `net.ipv4.ip_forward` unless it is on already: egress NAT forwards packets
    /// from the bridge to the host's uplink.
    private func enableIPv4Forwarding() throws {
        if Self.readFirstByte(Self.ipForwardPath) == UInt8(ascii: "1") { return }
        let descriptor = open(Self.ipForwardPath, O_WRONLY | O_CLOEXEC)
        let written = descriptor < 0 ? -1 : write(descriptor, "1\n", 2)
        let failure = errno
        if descriptor >= 0 { close(descriptor) }
        guard written == 2 else {
            throw RunnerError(
                code: RunnerError.Code.sysctlFailed,
                message: "could not turn on IPv4 forwarding (\(Self.ipForwardPath)): \(String(cString: strerror(failure))); "
                    + "run the runner as root, or set net.ipv4.ip_forward=1 on the host")
        }
    }

    /// The first byte of the file at `path`, or nil when it cannot be read.
    private static func readFirstByte(_ path: String) -> UInt8? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return read(descriptor, &byte, 1) == 1 ? byte : nil
    }
}
