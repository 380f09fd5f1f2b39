#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// Creates an app with its first release (v1, no slug, no config), and records the event.
    /// Its builds use `stack`.
    public func createApp(named name: AppName, stack: String = Stack.defaultName, actor: String) async throws -> App {
        let id = App.ID(UUID())
        do {
            try await transaction { connection in
                try await connection.query(
                    "INSERT INTO apps (id, name, stack) VALUES (\(id.uuid), \(name.rawValue), \(stack))", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO releases (id, app_id, version, description, status, created_by)
                    VALUES (\(UUID()), \(id.uuid), 1, \(ReleaseDescription.initial), 'succeeded', \(actor))
                    """, logger: logger)
                let app = App(id: id, name: name, createdAt: Date(), currentRelease: 1, stack: stack)
                try await recordEvent(on: connection, app: app, actor: actor, action: "app.create", description: "Created app \(name)")
            }
        } catch where Self.isUniqueViolation(error) {
            throw ControllerError.appNameTaken(name.rawValue)
        }
        return try await requireApp(named: name.rawValue)
    }

    /// All apps, by name.
    public func apps() async throws -> [App] {
        try await readApps(named: nil)
    }

    /// The app named `name`, or `app_not_found`.
    public func requireApp(named name: String) async throws -> App {
        guard AppName.isValid(name), let app = try await readApps(named: name).first else {
            throw ControllerError.appNotFound(name)
        }
        return app
    }

    /// Replaces the app's settings (`ps:set`, `ps:stop`, `ps:start`) and records what changed.
    public func updateSettings(of app: App, to settings: AppSettings, change: String, actor: String) async throws -> App {
        try await transaction { connection in
            try await connection.query(
                "UPDATE apps SET settings = \(Self.encodeJSON(settings))::jsonb WHERE id = \(app.id.uuid)", logger: logger)
            try await recordEvent(on: connection, app: app, actor: actor, action: "app.update", description: change)
        }
        return try await requireApp(named: app.name.rawValue)
    }

    /// Sets the stack the app's next build uses (`stack:set`) and records the change.
    public func setStack(of app: App, to stack: String, actor: String) async throws -> App {
        try await transaction { connection in
            try await connection.query("UPDATE apps SET stack = \(stack) WHERE id = \(app.id.uuid)", logger: logger)
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "app.update",
                description: "Set stack to \(stack) (was \(app.stack))")
        }
        return try await requireApp(named: app.name.rawValue)
    }

    /// Deletes an app with its releases, formation and domains; its events stay as the audit trail.
    public func destroyApp(_ app: App, actor: String) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM apps WHERE id = \(app.id.uuid)", logger: logger)
            try await recordEvent(on: connection, app: app, actor: actor, action: "app.destroy", description: "Destroyed app \(app.name)")
        }
    }

    /// Reads all apps, or the one named `name`; `current_release` is the newest succeeded release.
    private func readApps(named name: String?) async throws -> [App] {
        var apps: [App] = []
        let rows = try await client.query(
            """
            SELECT a.id, a.name, a.created_at,
                   (SELECT max(r.version) FROM releases r WHERE r.app_id = a.id AND r.status = 'succeeded'),
                   a.settings::text, a.stack
            FROM apps a WHERE (\(name)::text IS NULL OR a.name = \(name)) ORDER BY a.name
            """, logger: logger)
        for try await (id, name, createdAt, current, settings, stack) in rows.decode((UUID, String, Date, Int?, String, String).self) {
            guard let name = AppName(name) else { continue }
            apps.append(
                App(
                    id: App.ID(id), name: name, createdAt: createdAt, currentRelease: current,
                    settings: try Self.decodeJSON(settings, as: AppSettings.self), stack: stack))
        }
        return apps
    }
}
