import HTTPTypes

/// Every error of the git receiver: a stable code, a message for the person pushing that says
/// what to do, and the HTTP status it maps to.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static let malformedPacket = GitError(
        status: .badRequest, code: "malformed_git_stream", message: "git sent data that is not in pkt-line format.")

    static let unauthorized = GitError(
        status: .unauthorized, code: "unauthorized",
        message: "git needs your API token: use any user name and the token as password. Run 'paas git:remote' to set up the credential helper.")

    static func appNotFound(_ name: String) -> GitError {
        GitError(status: .notFound, code: "app_not_found", message: "No app named '\(name)'. Run 'paas apps' to list yours.")
    }

    static func unknownService(_ name: String) -> GitError {
        GitError(
            status: .forbidden, code: "unsupported_git_service",
            message: "'\(name)' is not served here: only git-receive-pack (push) and git-upload-pack (fetch, clone).")
    }

    static func pushTooLarge(limit: Int64) -> GitError {
        GitError(
            status: .contentTooLarge, code: "push_too_large",
            message: "The push is larger than \(limit >> 20) MiB. Remove large files from the history, or keep them out of git.")
    }
}
