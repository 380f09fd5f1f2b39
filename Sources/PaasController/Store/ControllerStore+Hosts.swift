#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PostgresNIO

/// A runner host the controller may start processes on.
public struct RegisteredHost: Sendable, Equatable {
    /// The host's name (its hostname unless the operator chose another).
    public var name: String
    /// The base URL of its runner API.
    public var runnerURL: String
    /// Its host token, for the runner API.
    public var token: String
    public var registeredAt: Date
    /// The id of the platform token that registered it, when known.
    public var registeredBy: UUID?
}

extension ControllerStore {
    /// Registers a runner host, or updates its URL and token when it registers again (a restart).
    /// `registeredBy` is the id of the token that asks (nil: the platform itself).
    public func registerHost(name: String, runnerURL: String, token: String, registeredBy: UUID? = nil) async throws
        -> RegisteredHost
    {
        try await client.query(
            """
            INSERT INTO hosts (name, runner_url, token, registered_by) VALUES (\(name), \(runnerURL), \(token), \(registeredBy))
            ON CONFLICT (name) DO UPDATE SET runner_url = EXCLUDED.runner_url, token = EXCLUDED.token,
                registered_by = EXCLUDED.registered_by, registered_at = now()
            """, logger: logger)
        guard let host = try await hosts().first(where: { $0.name == name }) else {
            throw ControllerError(status: .internalServerError, code: "internal_error", message: "The host was not recorded.")
        }
        return host
    }

    /// Every registered host, by name.
    public func hosts() async throws -> [RegisteredHost] {
        var hosts: [RegisteredHost] = []
        let rows = try await client.query(
            "SELECT name, runner_url, token, registered_at, registered_by FROM hosts ORDER BY name", logger: logger)
        for try await (name, url, token, registeredAt, registeredBy) in rows.decode((String, String, String, Date, UUID?).self) {
            hosts.append(RegisteredHost(name: name, runnerURL: url, token: token, registeredAt: registeredAt, registeredBy: registeredBy))
        }
        return hosts
    }
}
