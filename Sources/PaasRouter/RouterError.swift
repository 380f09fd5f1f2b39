/// Why the router could not start or serve.
public struct RouterError: Error, CustomStringConvertible, Sendable {
    /// A stable code, e.g. `router_cannot_listen`.
    public let code: String
    /// What failed and what to do about it.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error)?

    static func cannotListen(host: String, cause: any Error) -> RouterError {
        RouterError(
            code: "router_cannot_listen",
            message: "The router cannot listen on \(host): \(cause). Free the port or choose another one.",
            cause: cause)
    }

    public var description: String { "\(code): \(message)" }
}
