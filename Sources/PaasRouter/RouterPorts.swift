/// The ports the router's listeners are bound to (useful when configured as 0).
public struct RouterPorts: Sendable, Equatable {
    /// The plain HTTP listener.
    public var http: Int
    /// The HTTPS listener, if configured.
    public var https: Int?
    /// The admin listener, if configured.
    public var admin: Int?
}
