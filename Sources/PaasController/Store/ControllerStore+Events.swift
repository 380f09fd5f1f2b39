#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// The app's audit trail, newest first.
    public func events(of app: App, limit: Int = 100) async throws -> [AuditEvent] {
        var events: [AuditEvent] = []
        let rows = try await client.query(
            """
            SELECT id, actor, action, description, created_at FROM events
            WHERE app_id = \(app.id.uuid) ORDER BY id DESC LIMIT \(limit)
            """, logger: logger)
        for try await (id, actor, action, description, createdAt) in rows.decode((Int, String, String, String, Date).self) {
            events.append(AuditEvent(id: id, appID: app.id, actor: actor, action: action, description: description, createdAt: createdAt))
        }
        return events
    }

    /// Records an event that changes nothing in the store (a restart, say).
    public func recordAppEvent(_ app: App, actor: String, action: String, description: String) async throws {
        try await client.withConnection { connection in
            try await recordEvent(on: connection, app: app, actor: actor, action: action, description: description)
        }
    }
}
