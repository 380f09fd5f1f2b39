/// A network that gives one container a network namespace of its own: it reaches the outside
/// world and the platform's DNS, and no app's processes nor the host's other services. Builds
/// run in one (the runner's `ContainerNetwork` is the platform's).
public protocol IsolatedNetwork: Sendable {
    /// Makes container `id` a network namespace of its own and says how to join it.
    func isolate(id: String) async throws -> IsolatedNetworkAttachment
    /// Removes what `isolate(id:)` made; does nothing when it is gone already.
    func release(id: String) async throws
}

/// Where an isolated container's network is.
public struct IsolatedNetworkAttachment: Sendable, Equatable {
    /// The namespace an OCI runtime joins (`/run/netns/<name>`).
    public var namespacePath: String
    /// The container's address.
    public var address: String
    /// The resolver its `/etc/resolv.conf` names.
    public var nameserver: String

    public init(namespacePath: String, address: String, nameserver: String) {
        self.namespacePath = namespacePath
        self.address = address
        self.nameserver = nameserver
    }
}
