#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// The app's add-ons, by name.
    public func addons(of app: App) async throws -> [Addon] {
        try await readAddons(appID: app.id, name: nil)
    }

    /// The app's add-on `name`, or `addon_not_found`.
    public func requireAddon(named name: String, of app: App) async throws -> Addon {
        guard let addon = try await readAddons(appID: app.id, name: name).first else {
            throw ControllerError.addonNotFound(name, app: app.name.rawValue)
        }
        return addon
    }

    /// Whether any app has an add-on named `name` (names are unique on the platform).
    public func addonNameIsTaken(_ name: String) async throws -> Bool {
        let rows = try await client.query("SELECT 1 FROM addons WHERE name = \(name)", logger: logger).collect()
        return !rows.isEmpty
    }

    /// Records a provisioned add-on and sets its config vars in one new release ("Attach NAME").
    /// `databaseURLSource`, when given, names the var whose value also becomes `DATABASE_URL` if
    /// the app has none yet. Returns the add-on and the release.
    public func attachAddon(
        named name: String, kind: String, configVars: [String: String], databaseURLSource: String?, to app: App,
        actor: String
    ) async throws -> (Addon, Release) {
        var names = configVars.keys.sorted()
        do {
            let release = try await appendRelease(to: app, actor: actor, action: "addon.attach") { newest, connection in
                var config = newest.config
                for (key, value) in configVars { config[key] = value }
                if let source = databaseURLSource, newest.config["DATABASE_URL"] == nil, let value = configVars[source] {
                    config["DATABASE_URL"] = value
                    names = (names + ["DATABASE_URL"]).sorted()
                }
                try await connection.query(
                    """
                    INSERT INTO addons (name, app_id, kind, config_vars)
                    VALUES (\(name), \(app.id.uuid), \(kind), \(Self.encodeJSON(names))::jsonb)
                    """, logger: logger)
                return (ReleaseDescription.attach(addon: name), newest.slugID, newest.processTypes, config)
            }
            return (Addon(name: name, appID: app.id, kind: kind, configVarNames: names, createdAt: release.createdAt), release)
        } catch where Self.isUniqueViolation(error) {
            throw ControllerError.addonNameTaken(name)
        }
    }

    /// Forgets the add-on (and its backups) and unsets its config vars in one new release
    /// ("Detach NAME"). `DATABASE_URL` is unset only while it still holds this add-on's URL.
    public func detachAddon(_ addon: Addon, from app: App, actor: String) async throws -> Release {
        try await appendRelease(to: app, actor: actor, action: "addon.detach") { newest, connection in
            try await connection.query("DELETE FROM addons WHERE name = \(addon.name) AND app_id = \(app.id.uuid)", logger: logger)
            var config = newest.config
            let own = addon.configVarNames.filter { $0 != "DATABASE_URL" }
            for name in own { config[name] = nil }
            if addon.configVarNames.contains("DATABASE_URL"),
                let value = newest.config["DATABASE_URL"], own.contains(where: { newest.config[$0] == value })
            {
                config["DATABASE_URL"] = nil
            }
            return (ReleaseDescription.detach(addon: addon.name), newest.slugID, newest.processTypes, config)
        }
    }

    /// Records a backup of the add-on, numbered after the last one.
    public func recordBackup(of addon: Addon, app: App, blobID: String, size: Int64, actor: String) async throws -> Addon.Backup {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO addon_backups (addon_name, number, blob_id, size)
                SELECT \(addon.name), coalesce(max(number), 0) + 1, \(blobID), \(size)
                FROM addon_backups WHERE addon_name = \(addon.name)
                RETURNING number, created_at
                """, logger: logger)
            var backup: Addon.Backup?
            for try await (number, createdAt) in rows.decode((Int, Date).self) {
                backup = Addon.Backup(number: number, addonName: addon.name, blobID: blobID, size: size, createdAt: createdAt)
            }
            guard let backup else { throw ControllerError.addonNotFound(addon.name, app: app.name.rawValue) }
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "addon.backup", description: "Backed up \(addon.name) (backup \(backup.number))")
            return backup
        }
    }

    /// The add-on's backups, newest first.
    public func backups(of addon: Addon) async throws -> [Addon.Backup] {
        try await readBackups(of: addon.name, number: nil)
    }

    /// The add-on's backup `number`, or `backup_not_found`.
    public func requireBackup(_ number: Int, of addon: Addon) async throws -> Addon.Backup {
        guard let backup = try await readBackups(of: addon.name, number: number).first else {
            throw ControllerError.backupNotFound(number, addon: addon.name)
        }
        return backup
    }

    /// Records in the audit trail that the add-on's data was replaced by a backup.
    public func recordRestore(of backup: Addon.Backup, app: App, actor: String) async throws {
        try await transaction { connection in
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "addon.restore",
                description: "Restored \(backup.addonName) from backup \(backup.number)")
        }
    }

    private func readAddons(appID: App.ID, name: String?) async throws -> [Addon] {
        let rows = try await client.query(
            """
            SELECT name, kind, config_vars::text, created_at FROM addons
            WHERE app_id = \(appID.uuid) AND (\(name)::text IS NULL OR name = \(name)) ORDER BY name
            """, logger: logger)
        var addons: [Addon] = []
        for try await (name, kind, names, createdAt) in rows.decode((String, String, String, Date).self) {
            addons.append(
                Addon(name: name, appID: appID, kind: kind, configVarNames: try Self.decodeJSON(names, as: [String].self), createdAt: createdAt))
        }
        return addons
    }

    private func readBackups(of addonName: String, number: Int?) async throws -> [Addon.Backup] {
        let rows = try await client.query(
            """
            SELECT number, blob_id, size, created_at FROM addon_backups
            WHERE addon_name = \(addonName) AND (\(number)::integer IS NULL OR number = \(number)) ORDER BY number DESC
            """, logger: logger)
        var backups: [Addon.Backup] = []
        for try await (number, blobID, size, createdAt) in rows.decode((Int, String, Int64, Date).self) {
            backups.append(Addon.Backup(number: number, addonName: addonName, blobID: blobID, size: size, createdAt: createdAt))
        }
        return backups
    }
}
