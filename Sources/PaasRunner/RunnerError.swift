/// Every error of the runner: a stable code, a message that says what went wrong and what to do,
/// the HTTP status its API answers with, and the cause when there is one. Never holds config var
/// values.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, which decides the API's status.
    public enum Kind: Sendable {
        /// The request names something the runner does not have (404).
        case notFound
        /// The request is not valid (422).
        case invalid
        /// Anything else (500).
        case failed
    }

    public var code: String
    public var message: String
    public var kind: Kind
    public var cause: (any Error & Sendable)?

    public init(code: String, message: String, kind: Kind = .failed, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.kind = kind
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return "\(code): \(message)" }
        return "\(code): \(message) (cause: \(cause))"
    }
}
