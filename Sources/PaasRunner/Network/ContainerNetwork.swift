#if canImport(Glibc)
import Glibc
#endif

/// The per-container side of the network: one network namespace per container, joined to the
/// bridge by a veth pair, with an address from the runner's allocator.
///
/// A container `ID` gets the namespace `<prefix><ID>` (an OCI runtime joins it through
/// `Attachment.namespacePath`), whose `eth0` is the peer of a host interface `vh<10 hex>` on the
/// bridge. The host network (`HostNetwork.prepare()`) must be set up first. Needs root and `ip`.
public actor ContainerNetwork {
    /// The bridge, subnet, MTU and namespace prefix in use.
    public nonisolated let configuration: NetworkConfiguration
    /// Where `ip netns` keeps its namespaces.
    static let namespaceDirectory = "/run/netns/"
    /// The name of a container's interface inside its namespace.
    static let containerInterface = "eth0"

    var allocator: IPAllocator
    /// The address of every container this network made or observed, by container ID.
    var addresses: [String: IPv4Address] = [:]
    /// Which containers may reach which (see `AppFirewall`): every container this network made,
    /// and the links between apps.
    var firewall = AppFirewall()
    /// What DNS discovery tells each container, changed with the firewall.
    public nonisolated let audience: NetworkAudience
    /// The last firewall update, which the next one waits for: updates reach nftables in order.
    private var firewallUpdate: Task<Void, any Error>?

    /// A container network for `configuration` with no addresses in use; call `observe()` after a
    /// restart to take over what is already on the host. Fails when a setting is invalid.
    public init(configuration: NetworkConfiguration = NetworkConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
        allocator = IPAllocator(subnet: configuration.subnet)
        audience = NetworkAudience(subnet: configuration.subnet)
    }

    /// Gives container `id` of `app` a network namespace with `lo` and `eth0` up, an address of
    /// the subnet, the configured MTU and a default route via the gateway, and lets it reach
    /// `app`'s other containers (and the apps `app` is linked to) only. Without `app` the
    /// container is an app of its own.
    ///
    /// Fails when the namespace already exists, the bridge is missing or the subnet is full.
    /// When a step fails, what the earlier steps made is removed again.
    public func create(id: String, app: String? = nil) async throws -> Attachment {
        let namespace = try namespaceName(for: id)
        let hostInterface = Self.hostInterfaceName(for: namespace)
        guard addresses[id] == nil, !Self.namespaceExists(namespace) else {
            throw RunnerError(
                code: RunnerError.Code.namespaceExists,
                message: "container \(id) already has the network namespace \(namespace): remove it first")
        }
        guard NetworkTool.linkExists(configuration.bridgeName) else {
            throw RunnerError(
                code: RunnerError.Code.bridgeMissing,
                message: "the bridge \(configuration.bridgeName) does not exist: prepare the host network first")
        }
        // Taken before the first suspension, so a concurrent create cannot get the same address.
        let address = try allocator.allocate()
        addresses[id] = address
        let mtu = String(configuration.mtu)
        let ip = NetworkTool.ip
        var madeNamespace = false
        var madeLink = false
        do {
            try await ip.run(["netns", "add", namespace])
            madeNamespace = true
            // The peer is created inside the namespace, so "eth0" never meets the host's own eth0.
            try await ip.run([
                "link", "add", hostInterface, "mtu", mtu, "type", "veth",
                "peer", "name", Self.containerInterface, "mtu", mtu, "netns", namespace,
            ])
            madeLink = true
            // Filtered before it joins the bridge.
            firewall.members[id] = .init(app: app ?? id, port: hostInterface)
            try await updateFirewall()
            try await ip.run(["link", "set", hostInterface, "master", configuration.bridgeName, "up"])
            let prefixLength = configuration.subnet.prefixLength
            try await ip.run(
                ["-n", namespace, "-batch", "-"],
                input: """
                    link set lo up
                    link set \(Self.containerInterface) up
                    addr add \(address)/\(prefixLength) dev \(Self.containerInterface)
                    route add default via \(configuration.gateway) dev \(Self.containerInterface)

                    """)
        } catch {
            // Best effort: the original error is the one worth reporting. Undone in a task of its
            // own, so that a cancelled caller (a process stopped while it starts) leaves nothing.
            await Task { [madeLink, madeNamespace] in
                if firewall.members.removeValue(forKey: id) != nil { try? await updateFirewall() }
                if madeLink { _ = try? await ip.run(["link", "delete", hostInterface]) }
                if madeNamespace { _ = try? await ip.run(["netns", "delete", namespace]) }
                if addresses[id] == address {
                    addresses[id] = nil
                    allocator.release(address)
                }
            }.value
            throw error
        }
        return Attachment(
            id: id, namespace: namespace, namespacePath: Self.namespaceDirectory + namespace,
            address: address, prefixLength: configuration.subnet.prefixLength, gateway: configuration.gateway,
            hostInterface: hostInterface, containerInterface: Self.containerInterface, mtu: configuration.mtu)
    }

    /// Deletes container `id`'s veth pair and network namespace and frees its address. What is
    /// already gone is skipped, so removing twice is fine. Finishes even when the caller is
    /// cancelled (a supervisor stopping mid-launch): a half-removed namespace would stay behind.
    public func remove(id: String) async throws {
        try await Task { try await self.removeNow(id: id) }.value
    }

    private func removeNow(id: String) async throws {
        let namespace = try namespaceName(for: id)
        let hostInterface = Self.hostInterfaceName(for: namespace)
        let ip = NetworkTool.ip
        // Deleted explicitly: a namespace outlives `ip netns delete` while a process is still in
        // it, and so would its veth pair.
        if NetworkTool.linkExists(hostInterface) {
            do {
                try await ip.run(["link", "delete", hostInterface])
            } catch _ where !NetworkTool.linkExists(hostInterface) {
                // Gone meanwhile.
            }
        }
        if Self.namespaceExists(namespace) {
            do {
                try await ip.run(["netns", "delete", namespace])
            } catch _ where !Self.namespaceExists(namespace) {
                // Gone meanwhile.
            }
        }
        if let address = addresses.removeValue(forKey: id) {
            allocator.release(address)
        }
        if firewall.members.removeValue(forKey: id) != nil { try await updateFirewall() }
    }

    /// Lets `app`'s containers open connections to the containers of the apps in `reaches`
    /// (and only those, besides their own app's), from now on.
    public func setLinks(app: String, reaches: Set<String>) async throws {
        guard firewall.links[app, default: []] != reaches else { return }
        firewall.links[app] = reaches.isEmpty ? nil : reaches
        try await updateFirewall()
    }

    /// Writes the firewall's current state into nftables, after any update still under way, and
    /// tells discovery's audience at once.
    func updateFirewall() async throws {
        audience.update(firewall: firewall, addresses: addresses)
        let previous = firewallUpdate
        let update = Task {
            _ = await previous?.result
            // Read when it runs, not when it was asked for: the newest state always lands last.
            try await NetworkTool.nft.run(["-f", "-"], input: firewall.ruleset(tableName: configuration.tableName))
        }
        firewallUpdate = update
        try await update.value
    }

    /// The namespace name of container `id`; fails when `id` is empty, longer than 200 bytes or
    /// holds anything but letters, digits, `-`, `_` and `.`.
    public nonisolated func namespaceName(for id: String) throws -> String {
        guard (1...200).contains(id.utf8.count), id.utf8.allSatisfy(NetworkConfiguration.isNameByte) else {
            throw RunnerError(
                code: RunnerError.Code.invalidContainerID,
                message: "container id \"\(id)\" cannot name a network namespace: use 1 to 200 letters, digits, "
                    + "'-', '_' or '.'")
        }
        return configuration.namespacePrefix + id
    }

    /// The host end of a namespace's veth pair: `vh` and 10 hex digits of a hash of the namespace
    /// name (interface names have at most 15 characters). Hashing the whole name keeps networks
    /// with different prefixes apart.
    static func hostInterfaceName(for namespace: String) -> String {
        // FNV-1a, 64 bits: stable across runs and builds, unlike `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in namespace.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash & 0xFF_FFFF_FFFF, radix: 16)
        return "vh" + String(repeating: "0", count: 10 - hex.count) + hex
    }

    /// Whether `ip netns` has a namespace called `name`.
    static func namespaceExists(_ name: String) -> Bool {
        access(namespaceDirectory + name, F_OK) == 0
    }
}
