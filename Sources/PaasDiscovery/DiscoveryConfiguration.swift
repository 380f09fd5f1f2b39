/// How the DNS server listens and where it forwards what is not its own.
public struct DiscoveryConfiguration: Sendable {
    /// The address to listen on (UDP and TCP). Default `127.0.0.1`; in production the bridge
    /// gateway (`10.213.0.1`), so that containers reach it through their `resolv.conf`.
    public var host: String
    /// The port for both UDP and TCP. Default 53; 0 picks a free port (the same for both), which
    /// `DNSServer.port` then tells.
    public var port: Int
    /// Upstream resolvers as `host` or `host:port` (`[v6]:port` for IPv6), tried in order.
    /// Default nil: the `nameserver` lines of `resolvConfPath`. An empty list forwards nothing
    /// (every outside name gets SERVFAIL).
    public var upstreams: [String]?
    /// Where the host's resolvers are listed when `upstreams` is nil. Default `/etc/resolv.conf`.
    public var resolvConfPath: String
    /// How long to wait for one upstream before trying the next. Default 2 seconds.
    public var upstreamTimeout: Duration
    /// The TTL of discovery's own answers, in seconds. Default 5: answers follow live state, so
    /// a stopped process leaves caches within seconds.
    public var ttl: UInt32
    /// How many UDP queries and TCP connections are served at once; beyond that, datagrams are
    /// dropped (clients retry) and connections closed. Default 512: forwarded queries each hold a
    /// socket for up to `upstreamTimeout`, and this keeps a flood from exhausting file descriptors.
    public var maxConcurrentQueries: Int

    public init(
        host: String = "127.0.0.1", port: Int = 53, upstreams: [String]? = nil,
        resolvConfPath: String = "/etc/resolv.conf", upstreamTimeout: Duration = .seconds(2), ttl: UInt32 = 5,
        maxConcurrentQueries: Int = 512
    ) {
        self.host = host
        self.port = port
        self.upstreams = upstreams
        self.resolvConfPath = resolvConfPath
        self.upstreamTimeout = upstreamTimeout
        self.ttl = ttl
        self.maxConcurrentQueries = maxConcurrentQueries
    }
}
