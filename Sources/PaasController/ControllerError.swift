import HTTPTypes
import PaasAPI
import PaasCore
import PaasHTTP

/// Every error the controller answers with: an HTTP status, a stable code and a message that
/// says what to do. Mapped to the API's error envelope in one place (`ErrorMiddleware`).
public struct ControllerError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var retryable: Bool = false

    public init(status: HTTPResponse.Status, code: String, message: String, retryable: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var description: String { "\(code): \(message)" }

    /// The envelope the API sends for this error.
    public var body: APIErrorBody { APIErrorBody(code: code, message: message, retryable: retryable) }
}

extension ControllerError: APIErrorConvertible {
    public var httpStatus: HTTPResponse.Status { status }
    public var apiErrorBody: APIErrorBody { body }
}

extension ControllerError {
    static func appNotFound(_ name: String) -> Self {
        .init(status: .notFound, code: "app_not_found", message: "No app named '\(name)'. Run 'paas apps' to list yours.")
    }

    static func invalidAppName(_ name: String) -> Self {
        .init(status: .unprocessableContent, code: "invalid_app_name", message: "'\(name)' is not a valid app name. \(AppName.rule)")
    }

    static func appNameTaken(_ name: String) -> Self {
        .init(status: .conflict, code: "app_name_taken", message: "The name '\(name)' is already taken. Choose another name.")
    }

    static func releaseNotFound(_ version: Int, app: String) -> Self {
        .init(status: .notFound, code: "release_not_found", message: "App '\(app)' has no release v\(version). Run 'paas releases -a \(app)' to list them.")
    }

    static func invalidRequest(_ message: String) -> Self {
        .init(status: .unprocessableContent, code: "invalid_request", message: message)
    }

    static func badJSON(_ detail: String) -> Self {
        .init(status: .badRequest, code: "bad_request", message: "The request body is not valid JSON for this endpoint: \(detail)")
    }
}
