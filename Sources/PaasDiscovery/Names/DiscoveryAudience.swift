/// Who may see which apps' names: discovery answers a client only the names of the apps it may
/// reach (see `DiscoveryTable.answer(_:visibleApps:)`), so a tenant cannot list the others.
public protocol DiscoveryAudience: Sendable {
    /// The apps whose names the client at `address` (an IP address as text) may see; nil for
    /// every app (the host itself). Called for every query, so it must be quick and never wait.
    func visibleApps(from address: String) -> Set<String>?
}
