#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// Records the start of a build of `commit` (status pending, next number for the app).
    public func startBuild(of app: App, commit: String, actor: String) async throws -> Build {
        let id = UUID()
        try await transaction { connection in
            try await connection.query("SELECT id FROM apps WHERE id = \(app.id.uuid) FOR UPDATE", logger: logger)
            try await connection.query(
                """
                INSERT INTO builds (id, app_id, number, commit_sha, status, created_by)
                VALUES (\(id), \(app.id.uuid),
                        (SELECT coalesce(max(number), 0) + 1 FROM builds WHERE app_id = \(app.id.uuid)),
                        \(commit), 'pending', \(actor))
                """, logger: logger)
        }
        return try await build(of: app, id: id)
    }

    /// Records how a build ended, with its whole output.
    public func finishBuild(
        _ build: Build, status: Build.Status, failureReason: String?, output: String, buildpacks: [String],
        slugID: String?, releaseVersion: Int?
    ) async throws {
        try await client.query(
            """
            UPDATE builds SET status = \(status.rawValue), failure_reason = \(failureReason), output = \(output),
                   buildpacks = \(Self.encodeJSONArray(buildpacks))::jsonb, slug_id = \(slugID),
                   release_version = \(releaseVersion), finished_at = now()
            WHERE id = \(build.id)
            """, logger: logger)
    }

    /// Records a slug the blob store now holds (idempotent: equal slugs have equal ids).
    public func recordSlug(id: String, size: Int, processTypes: [String: String], stack: String) async throws {
        try await client.query(
            """
            INSERT INTO slugs (id, size, process_types, stack)
            VALUES (\(id), \(size), \(Self.encodeJSON(processTypes))::jsonb, \(stack))
            ON CONFLICT (id) DO NOTHING
            """, logger: logger)
    }

    /// The app's builds, newest first, without their output.
    public func builds(of app: App, limit: Int = 50) async throws -> [Build] {
        try await readBuilds(appID: app.id, id: nil, number: nil, limit: limit)
    }

    /// One build by number (`builds:output 3`), or `build_not_found`.
    public func build(of app: App, number: Int) async throws -> Build {
        guard let build = try await readBuilds(appID: app.id, id: nil, number: number, limit: 1).first else {
            throw ControllerError(
                status: .notFound, code: "build_not_found",
                message: "App '\(app.name)' has no build \(number). Run 'paas builds -a \(app.name)' to list them.")
        }
        return build
    }

    func build(of app: App, id: UUID) async throws -> Build {
        guard let build = try await readBuilds(appID: app.id, id: id, number: nil, limit: 1).first else {
            throw ControllerError(status: .notFound, code: "build_not_found", message: "No such build.")
        }
        return build
    }

    /// The blob holding the app's build cache, if a build saved one.
    public func buildCache(of app: App) async throws -> String? {
        try await buildCacheWithStack(of: app)?.blob
    }

    /// The app's build cache and the stack it was built on (`bookworm` for caches saved before
    /// stacks were recorded), if a build saved one.
    public func buildCacheWithStack(of app: App) async throws -> (blob: String, stack: String)? {
        let rows = try await client.query(
            "SELECT build_cache_blob, build_cache_stack FROM apps WHERE id = \(app.id.uuid)", logger: logger)
        for try await (blob, stack) in rows.decode((String?, String?).self) {
            return blob.map { ($0, stack ?? Stack.defaultName) }
        }
        return nil
    }

    /// Remembers the blob holding the app's build cache, made on `stack`.
    public func setBuildCache(of app: App, blob: String, stack: String = Stack.defaultName) async throws {
        try await client.query(
            "UPDATE apps SET build_cache_blob = \(blob), build_cache_stack = \(stack) WHERE id = \(app.id.uuid)",
            logger: logger)
    }

    private func readBuilds(appID: App.ID, id: UUID?, number: Int?, limit: Int) async throws -> [Build] {
        let rows = try await client.query(
            """
            SELECT id, number, commit_sha, status, failure_reason, output, buildpacks::text, slug_id, release_version,
                   created_by, created_at, finished_at
            FROM builds
            WHERE app_id = \(appID.uuid) AND (\(id)::uuid IS NULL OR id = \(id))
              AND (\(number)::integer IS NULL OR number = \(number))
            ORDER BY number DESC LIMIT \(limit)
            """, logger: logger)
        var builds: [Build] = []
        for try await (id, number, commit, status, reason, output, buildpacks, slugID, version, createdBy, createdAt, finishedAt)
            in rows.decode((UUID, Int, String, String, String?, String, String, String?, Int?, String, Date, Date?).self)
        {
            builds.append(
                Build(
                    id: id, appID: appID, number: number, commit: commit, status: Build.Status(rawValue: status) ?? .failed,
                    failureReason: reason, output: output,
                    buildpacks: try JSONDecoder().decode([String].self, from: Data(buildpacks.utf8)),
                    slugID: slugID, releaseVersion: version, createdBy: createdBy, createdAt: createdAt, finishedAt: finishedAt))
        }
        return builds
    }

    static func encodeJSONArray(_ value: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
