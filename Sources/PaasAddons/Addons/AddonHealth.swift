/// How a provider's servers are doing, for `/healthz` and the operator.
public struct AddonHealth: Sendable, Equatable {
    /// The provider's kind.
    public var kind: AddonKind
    /// Each managed server (one for MariaDB and PostgreSQL, one per add-on for Redis); empty
    /// for an existing server given by URL or before first use.
    public var servers: [ServerHealth]
    /// Whether every server is up (an external server counts as up when it answered).
    public var isHealthy: Bool

    public init(kind: AddonKind, servers: [ServerHealth], isHealthy: Bool) {
        self.kind = kind
        self.servers = servers
        self.isHealthy = isHealthy
    }
}
