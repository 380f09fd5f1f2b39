#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a platform token may do. Users' tokens are `admin` (every request); the platform's own
/// daemons get tokens that can do their one job only, so that a router's or a runner host's
/// token, if stolen, opens no app's config, certificate keys or add-on passwords.
public enum TokenScope: String, Sendable, CaseIterable {
    /// Every request.
    case admin
    /// A router: read the route table (`GET /v1/router/table`, watched or not) and send its
    /// access-log lines (`POST /v1/router/logs`).
    case router
    /// A runner host joining the cluster: register itself (`PUT /v1/hosts/{name}`, not over a
    /// host another token registered) and fetch slugs (`GET`/`HEAD /v1/blobs/{sha256}`).
    case host

    /// Whether a token of this scope may send `method` to `path` (the path without its query).
    public func allows(method: String, path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch self {
        case .admin:
            return true
        case .router:
            return (method == "GET" && parts == ["", "v1", "router", "table"]) || (method == "POST" && parts == ["", "v1", "router", "logs"])
        case .host:
            guard parts.count == 4, parts[0].isEmpty, parts[1] == "v1", !parts[3].isEmpty else { return false }
            return (parts[2] == "hosts" && method == "PUT") || (parts[2] == "blobs" && (method == "GET" || method == "HEAD"))
        }
    }

    /// What this scope may do, in words, for the error that refuses a request.
    var purpose: String {
        switch self {
        case .admin: "do everything"
        case .router: "read the route table and send access-log lines"
        case .host: "register a runner host and fetch slugs"
        }
    }
}

/// A known token: whose it is and what it may do.
public struct TokenHolder: Sendable, Equatable {
    /// The token's row id (never the token).
    public var id: UUID
    /// Its owner's name: `admin`, `router`, a user.
    public var name: String
    public var scope: TokenScope
}
