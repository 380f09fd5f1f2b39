extension ContainerNetwork {
    /// How a container is attached to the network: what an OCI config and the container's
    /// `resolv.conf`/`hosts` need.
    public struct Attachment: Sendable, Equatable {
        /// The container's ID.
        public var id: String
        /// The network namespace's name (`ip netns`).
        public var namespace: String
        /// The namespace's bind mount, for the OCI config's `linux.namespaces` network entry.
        public var namespacePath: String
        /// The container's address.
        public var address: IPv4Address
        /// The subnet's prefix length, e.g. 16.
        public var prefixLength: Int
        /// The default gateway: the bridge's address.
        public var gateway: IPv4Address
        /// The host end of the veth pair, attached to the bridge.
        public var hostInterface: String
        /// The interface inside the namespace (`eth0`).
        public var containerInterface: String
        /// The MTU of both ends of the veth pair.
        public var mtu: Int
    }
}
