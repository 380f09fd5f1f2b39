#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// git over smart HTTP for the apps' repositories: `info/refs`,
/// `git-receive-pack` (push) and `git-upload-pack` (fetch, clone), with git's own programs as
/// the protocol engine. A push to `main` runs `GitPushHandler.deploy` while the push is open,
/// through the repository's pre-receive hook, which calls this server back (see `PreReceiveHook`).
public struct GitReceiver: Sendable {
    public let repositories: GitRepositories
    let handler: any GitPushHandler
    let logger: Logger
    let sessions = PushSessions()
    private let callback = CallbackAddress()

    public init(repositories: GitRepositories, handler: any GitPushHandler, logger: Logger) {
        self.repositories = repositories
        self.handler = handler
        self.logger = logger
    }

    /// Tells the receiver where its own HTTP server listens (e.g. `http://127.0.0.1:5100`):
    /// the pre-receive hooks call it back there. Call once the server is bound.
    public func serverIsListening(at baseURL: String) {
        callback.set(baseURL)
    }

    /// The URL a hook calls for `session`.
    func callbackURL(for session: PushSession) throws -> String {
        guard let base = callback.get() else {
            throw GitError(
                status: .serviceUnavailable, code: "git_not_ready",
                message: "The git server is still starting. Push again in a moment.")
        }
        return "\(base)/internal/git/pushes/\(session.id)"
    }

    /// The token in a request's `Authorization` header: the password of HTTP basic auth (any
    /// user name, as git sends it), or a bearer token.
    static func token(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        if header.hasPrefix("Bearer ") { return String(header.dropFirst("Bearer ".count)) }
        guard header.hasPrefix("Basic "),
            let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
            let credentials = String(data: data, encoding: .utf8),
            let colon = credentials.firstIndex(of: ":")
        else { return nil }
        let password = String(credentials[credentials.index(after: colon)...])
        return password.isEmpty ? nil : password
    }
}

/// The server's own base URL, known once it has bound its port.
private final class CallbackAddress: Sendable {
    private let value = Mutex<String?>(nil)
    func set(_ url: String) { value.withLock { $0 = url } }
    func get() -> String? { value.withLock { $0 } }
}
