// Taking over after a restart: what network namespaces of ours are on the host.
extension ContainerNetwork {
    /// A network namespace of this network found on the host.
    public struct ObservedNamespace: Sendable, Equatable {
        /// The container ID the namespace belongs to.
        public var id: String
        /// The namespace's name.
        public var namespace: String
        /// The IPv4 address of its `eth0`; nil when it has none (a half-made leftover).
        public var address: IPv4Address?
    }

    /// Lists the network namespaces with this network's prefix and their `eth0` addresses, and
    /// counts those addresses as in use, so a restarted runner hands out no address twice and
    /// can `remove(id:)` leftovers.
    public func observe() async throws -> [ObservedNamespace] {
        let ip = NetworkTool.ip
        let prefix = configuration.namespacePrefix
        // Lines look like "paas-web-1 (id: 3)" or just "paas-web-1".
        let names = try await ip.run(["netns", "list"]).split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix(prefix) && $0.count > prefix.count }
        var observed: [ObservedNamespace] = []
        for namespace in names.sorted() {
            let id = String(namespace.dropFirst(prefix.count))
            // Fails when eth0 is missing, which leaves the address unknown.
            let line = try? await ip.run(["-n", namespace, "-4", "-o", "addr", "show", Self.containerInterface])
            let address = line.flatMap { Self.firstAddress(in: $0) }
            observed.append(ObservedNamespace(id: id, namespace: namespace, address: address))
            if let address, addresses[id] == nil {
                addresses[id] = address
            }
        }
        allocator = IPAllocator(subnet: configuration.subnet, inUse: allocator.inUse.union(addresses.values))
        return observed
    }

    /// The address of the first `inet A.B.C.D/N` in `ip -o addr` output.
    static func firstAddress(in output: String) -> IPv4Address? {
        let words = output.split(whereSeparator: \.isWhitespace)
        guard let index = words.firstIndex(of: "inet"), index + 1 < words.count,
            let text = words[index + 1].split(separator: "/").first
        else { return nil }
        return IPv4Address(String(text))
    }
}
