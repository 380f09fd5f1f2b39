/// Every error of the runner: a stable code, a message that says what went wrong and what to do,
/// and the cause when there is one. Never holds config var values.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(code: String, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return "\(code): \(message)" }
        return "\(code): \(message) (cause: \(cause))"
    }
}
