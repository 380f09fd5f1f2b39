#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// An app's releases, newest first.
    public func releases(of app: App, limit: Int = 100) async throws -> [Release] {
        try await client.withConnection { connection in
            try await readReleases(on: connection, appID: app.id, version: nil, limit: limit)
        }
    }

    /// One release by version, or `release_not_found`.
    public func release(of app: App, version: Int) async throws -> Release {
        let found = try await client.withConnection { connection in
            try await readReleases(on: connection, appID: app.id, version: version, limit: 1)
        }
        guard let release = found.first else { throw ControllerError.releaseNotFound(version, app: app.name.rawValue) }
        return release
    }

    /// The app's config: the newest release's snapshot.
    public func config(of app: App) async throws -> [String: String] {
        try await releases(of: app, limit: 1).first?.config ?? [:]
    }

    /// Sets and unsets config vars in one new release. `update` maps names to values; nil unsets.
    public func updateConfig(of app: App, update: [String: String?], actor: String) async throws -> [String: String] {
        let set = update.compactMap { $0.value == nil ? nil : $0.key }
        let unset = update.compactMap { $0.value == nil ? $0.key : nil }
        let description = ReleaseDescription.configChange(set: set, unset: unset)
        let release = try await appendRelease(to: app, actor: actor, action: "config.set") { newest, _ in
            var config = newest.config
            for (key, value) in update { config[key] = value }
            return (description, newest.slugID, newest.processTypes, config)
        }
        return release.config
    }

    /// Rolls back to `version` (default: the succeeded release before the current one) by creating a
    /// new release with that release's slug, process types and config. Never rebuilds.
    /// The new release runs on the target's stack.
    public func rollback(_ app: App, to version: Int?, actor: String) async throws -> Release {
        var targetStack: String?
        return try await appendRelease(to: app, actor: actor, action: "release.rollback", stack: { _, _ in targetStack }) {
            newest, connection in
            let history = try await readReleases(on: connection, appID: app.id, version: nil, limit: 10_000)
            let target: Release
            if let version {
                guard let found = history.first(where: { $0.version == version }) else {
                    throw ControllerError.releaseNotFound(version, app: app.name.rawValue)
                }
                target = found
            } else {
                let succeeded = history.filter { $0.status == .succeeded }
                guard succeeded.count >= 2 else {
                    throw ControllerError(
                        status: .unprocessableContent, code: "no_previous_release",
                        message: "App '\(app.name)' has no earlier release to roll back to. Run 'paas releases -a \(app.name)' to see its releases.")
                }
                target = succeeded[1]
            }
            guard target.slugID != nil else {
                throw ControllerError(
                    status: .unprocessableContent, code: "release_has_no_slug",
                    message: "v\(target.version) has no slug (it was made before any code was pushed), so there is nothing to run. Roll back to a release that has code, or push with 'git push paas main'.")
            }
            targetStack = target.stack
            return (ReleaseDescription.rollback(to: target.version), target.slugID, target.processTypes, target.config)
        }
    }

    /// What a new release holds: description, slug, process types, config.
    typealias ReleaseContents = (description: String, slugID: String?, processTypes: [String: String], config: [String: String])

    /// Appends a release after the app's newest one. The app row is locked for the transaction, so
    /// concurrent changes get consecutive versions and each sees the one before it. `stack` says
    /// which stack the new release runs on, once `contents` has run (default: the newest
    /// release's when the slug stays the same).
    func appendRelease(
        to app: App, actor: String, action: String,
        stack: (_ newest: Release, _ next: ReleaseContents) -> String? = { newest, next in
            next.slugID == newest.slugID ? newest.stack : nil
        },
        contents: (_ newest: Release, _ connection: PostgresConnection) async throws -> ReleaseContents
    ) async throws -> Release {
        try await transaction { connection in
            let locked = try await connection.query(
                "SELECT id FROM apps WHERE id = \(app.id.uuid) FOR UPDATE", logger: logger
            ).collect()
            guard !locked.isEmpty else { throw ControllerError.appNotFound(app.name.rawValue) }
            guard let newest = try await readReleases(on: connection, appID: app.id, version: nil, limit: 1).first else {
                throw ControllerError.appNotFound(app.name.rawValue)
            }
            let next = try await contents(newest, connection)
            let nextStack = next.slugID == nil ? nil : stack(newest, next)
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO releases (id, app_id, version, description, slug_id, process_types, config, status, created_by, stack)
                VALUES (\(id), \(app.id.uuid), \(newest.version + 1), \(next.description), \(next.slugID),
                        \(Self.encodeJSON(next.processTypes))::jsonb, \(Self.encodeJSON(next.config))::jsonb,
                        \(next.slugID == nil ? "succeeded" : "pending"), \(actor), \(nextStack))
                """, logger: logger)
            try await recordEvent(
                on: connection, app: app, actor: actor, action: action,
                description: "\(next.description) (v\(newest.version + 1))")
            guard let release = try await readReleases(on: connection, appID: app.id, version: newest.version + 1, limit: 1).first else {
                throw ControllerError.appNotFound(app.name.rawValue)
            }
            return release
        }
    }

    func readReleases(on connection: PostgresConnection, appID: App.ID, version: Int?, limit: Int) async throws -> [Release] {
        let rows = try await connection.query(
            """
            SELECT id, version, description, slug_id, process_types::text, config::text, status, status_reason,
                   created_by, created_at,
                   COALESCE(stack, (SELECT s.stack FROM slugs s WHERE s.id = releases.slug_id))
            FROM releases WHERE app_id = \(appID.uuid) AND (\(version)::integer IS NULL OR version = \(version))
            ORDER BY version DESC LIMIT \(limit)
            """, logger: logger)
        var releases: [Release] = []
        for try await (id, version, description, slugID, processTypes, config, status, reason, createdBy, createdAt, stack)
            in rows.decode((UUID, Int, String, String?, String, String, String, String?, String, Date, String?).self)
        {
            releases.append(
                Release(
                    id: id, appID: appID, version: version, description: description, slugID: slugID,
                    processTypes: try Self.decodeJSON(processTypes), config: try Self.decodeJSON(config),
                    status: Release.Status(rawValue: status) ?? .failed, statusReason: reason,
                    createdBy: createdBy, createdAt: createdAt, stack: stack))
        }
        return releases
    }
}

extension ControllerStore {
    /// Records a release of newly built code: the given slug and process types with the app's
    /// current config ("Deploy 1a2b3c4"), running on `stack` (the one the slug was built on). The
    /// git receiver calls this after a successful build.
    public func deploy(
        _ app: App, slugID: String, processTypes: [String: String], commit: String, actor: String,
        stack: String = Stack.defaultName
    ) async throws -> Release {
        try await appendRelease(to: app, actor: actor, action: "release.deploy", stack: { _, _ in stack }) { newest, _ in
            (ReleaseDescription.deploy(commit: commit), slugID, processTypes, newest.config)
        }
    }
}

extension ControllerStore {
    /// Marks a deployed release succeeded: it is the app's current release from now on. Releases
    /// before it that were still pending never ran and are marked failed ("superseded").
    public func markReleaseSucceeded(_ app: App, version: Int) async throws {
        try await transaction { connection in
            try await connection.query(
                """
                UPDATE releases SET status = 'succeeded', status_reason = NULL
                WHERE app_id = \(app.id.uuid) AND version = \(version) AND status = 'pending'
                """, logger: logger)
            try await connection.query(
                """
                UPDATE releases SET status = 'failed', status_reason = \("superseded by v\(version) before it was deployed")
                WHERE app_id = \(app.id.uuid) AND version < \(version) AND status = 'pending'
                """, logger: logger)
        }
    }

    /// Marks a release failed with the reason (its release phase failed or its processes did not
    /// boot); the app's current release is then the succeeded one before it.
    public func markReleaseFailed(_ app: App, version: Int, reason: String) async throws {
        try await transaction { connection in
            try await connection.query(
                """
                UPDATE releases SET status = 'failed', status_reason = \(reason)
                WHERE app_id = \(app.id.uuid) AND version = \(version)
                """, logger: logger)
            try await recordEvent(
                on: connection, app: app, actor: "paas", action: "release.failed", description: "v\(version) failed: \(reason)")
        }
    }
}
