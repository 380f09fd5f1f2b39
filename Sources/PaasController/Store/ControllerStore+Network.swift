#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

// Links between apps: whose processes may open connections to whose.
extension ControllerStore {
    /// The apps `app`'s processes may open connections to (besides its own), by name, sorted.
    public func links(of app: App) async throws -> [String] {
        var names: [String] = []
        let rows = try await client.query(
            """
            SELECT a.name FROM app_links l JOIN apps a ON a.id = l.to_app
            WHERE l.from_app = \(app.id.uuid) ORDER BY a.name
            """, logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// Lets `app`'s processes open connections to `target`'s (`paas network:allow`); allowing
    /// twice is fine.
    public func link(_ app: App, to target: App, actor: String) async throws {
        try await transaction { connection in
            let added = try await connection.query(
                """
                INSERT INTO app_links (from_app, to_app) VALUES (\(app.id.uuid), \(target.id.uuid))
                ON CONFLICT DO NOTHING RETURNING to_app
                """, logger: logger
            ).collect()
            guard !added.isEmpty else { return }
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "network.allow",
                description: "Allowed \(app.name.rawValue) to reach \(target.name.rawValue)")
        }
    }

    /// Takes back what `link` allowed; `network_link_not_found` when it was not allowed.
    public func unlink(_ app: App, from target: App, actor: String) async throws {
        try await transaction { connection in
            let removed = try await connection.query(
                "DELETE FROM app_links WHERE from_app = \(app.id.uuid) AND to_app = \(target.id.uuid) RETURNING to_app",
                logger: logger
            ).collect()
            guard !removed.isEmpty else {
                throw ControllerError(
                    status: .notFound, code: "network_link_not_found",
                    message: "\(app.name.rawValue) is not allowed to reach \(target.name.rawValue); 'paas network -a \(app.name.rawValue)' lists what it may reach.")
            }
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "network.deny",
                description: "Stopped \(app.name.rawValue) from reaching \(target.name.rawValue)")
        }
    }
}
