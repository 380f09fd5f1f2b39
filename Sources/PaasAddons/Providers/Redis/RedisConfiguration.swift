/// Where the Redis provider keeps its instances and how apps reach them.
public struct RedisConfiguration: Sendable {
    /// The provider's directory, `<data-dir>/addons/redis`: one directory per add-on under
    /// `instances/` (configuration, RDB file, log), and temporary backup files.
    public var directory: String
    /// The address every instance listens on: the container bridge's gateway in production
    /// (`10.213.0.1`), `127.0.0.1` in tests.
    public var listenAddress: String = "127.0.0.1"
    /// The ports instances are given, one per add-on.
    public var ports: Range<Int> = 16379..<16879
    /// The host put in `REDIS_URL` (a stable name such as `redis.addons.internal`); the listen
    /// address when nil.
    public var urlHost: String?
    /// The unprivileged OS user instances run as.
    public var osUser: String = "redis"
    /// Each instance's `maxmemory`.
    public var maxMemory: String = "256mb"
    /// Called after an add-on's instance runs, before provisioning returns: lets tests force a
    /// failure there. Nil in production.
    var afterCreate: (@Sendable (AddonName) async throws -> Void)?

    /// Instances under `directory`, with the defaults above.
    public init(directory: String, listenAddress: String = "127.0.0.1", ports: Range<Int> = 16379..<16879, urlHost: String? = nil) {
        self.directory = directory
        self.listenAddress = listenAddress
        self.ports = ports
        self.urlHost = urlHost
    }
}
