/// The names DNS discovery answers for one process: `<type>.<app>.internal` (and
/// `<app>.internal` for web processes), SRV `_<type>._tcp.<app>.internal` with its port.
public struct DiscoveryEntry: Codable, Sendable, Equatable, Hashable {
    public var app: String
    /// The process type: `web`, `worker`.
    public var type: String
    /// Its number within the type, from 1.
    public var index: Int
    /// Its IPv4 address on the platform network.
    public var ip: String
    /// Its `$PORT`.
    public var port: Int

    public init(app: String, type: String, index: Int, ip: String, port: Int) {
        self.app = app
        self.type = type
        self.index = index
        self.ip = ip
        self.port = port
    }
}
