/// The error envelope every API answers with:
/// `{"error": {"code": "app_not_found", "message": "…", "retryable": false}}`.
public struct APIErrorEnvelope: Codable, Sendable, Equatable {
    /// The error itself.
    public var error: APIErrorBody

    public init(error: APIErrorBody) { self.error = error }
}

/// The body of an API error: a stable code, a message that says what to do, and whether retrying may help.
public struct APIErrorBody: Codable, Sendable, Equatable, Error {
    /// A stable, machine-readable code such as `app_not_found`.
    public var code: String
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// Whether the same request may succeed later.
    public var retryable: Bool

    public init(code: String, message: String, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }
}
