import Logging
import PostgresNIO

/// The controller's schema, as numbered migrations. Applied in order at start-up, each once,
/// each in its own transaction; an advisory lock keeps concurrent starts from racing.
/// Never edit a migration that has shipped: add a new one.
enum Migrations {
    static let all: [(version: Int, sql: [PostgresQuery])] = [
        (1, [
            """
            CREATE TABLE apps (
                id uuid PRIMARY KEY,
                name text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                settings jsonb NOT NULL DEFAULT '{}'
            )
            """,
            """
            CREATE TABLE releases (
                id uuid PRIMARY KEY,
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                version integer NOT NULL,
                description text NOT NULL,
                slug_id text,
                process_types jsonb NOT NULL DEFAULT '{}',
                config jsonb NOT NULL DEFAULT '{}',
                status text NOT NULL,
                status_reason text,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (app_id, version)
            )
            """,
            """
            CREATE TABLE formations (
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                type text NOT NULL,
                quantity integer NOT NULL CHECK (quantity >= 0),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (app_id, type)
            )
            """,
            """
            CREATE TABLE domains (
                hostname text PRIMARY KEY,
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE tokens (
                id uuid PRIMARY KEY,
                name text NOT NULL,
                hash text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            // Events outlive their app (the audit trail must show a destroy), so no foreign key.
            """
            CREATE TABLE events (
                id bigserial PRIMARY KEY,
                app_id uuid,
                app_name text,
                actor text NOT NULL,
                action text NOT NULL,
                description text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX events_app_id ON events (app_id, id DESC)",
        ]),
        (2, [
            // Slugs are content-addressed blobs; the row records what the build learned about them.
            """
            CREATE TABLE slugs (
                id text PRIMARY KEY,
                size bigint NOT NULL,
                process_types jsonb NOT NULL DEFAULT '{}',
                stack text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE builds (
                id uuid PRIMARY KEY,
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                number integer NOT NULL,
                commit_sha text NOT NULL,
                status text NOT NULL,
                failure_reason text,
                output text NOT NULL DEFAULT '',
                buildpacks jsonb NOT NULL DEFAULT '[]',
                slug_id text REFERENCES slugs(id),
                release_version integer,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz,
                UNIQUE (app_id, number)
            )
            """,
            // The app's build cache (CACHE_DIR) as a blob, replaced after each successful build.
            "ALTER TABLE apps ADD COLUMN build_cache_blob text",
        ]),
        (3, [
            // Memory limits per process type (`ps:resize`); a type without a row gets the default.
            """
            CREATE TABLE process_sizes (
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                type text NOT NULL,
                memory_mib integer NOT NULL CHECK (memory_mib > 0),
                PRIMARY KEY (app_id, type)
            )
            """,
        ]),
        (4, [
            // Runner hosts (`paasd runner` registers itself): where the controller starts processes.
            // The host token is kept as given: the controller presents it to the runner's API.
            """
            CREATE TABLE hosts (
                name text PRIMARY KEY,
                runner_url text NOT NULL,
                token text NOT NULL,
                registered_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        (5, [
            // TLS certificates per app (`certs:add`), served by the routers by SNI. The key is kept
            // as given: routers need it.
            """
            CREATE TABLE certificates (
                name text PRIMARY KEY,
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                domains jsonb NOT NULL,
                certificate_pem text NOT NULL,
                private_key_pem text NOT NULL,
                expires_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        (6, [
            // Add-ons (`addons:add`): names are unique on the platform, as they name the databases
            // the providers make. Only the config var names are kept: their values hold credentials.
            """
            CREATE TABLE addons (
                name text PRIMARY KEY,
                app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                kind text NOT NULL,
                config_vars jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX addons_app_id ON addons (app_id)",
            """
            CREATE TABLE addon_backups (
                addon_name text NOT NULL REFERENCES addons(name) ON DELETE CASCADE,
                number integer NOT NULL,
                blob_id text NOT NULL,
                size bigint NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (addon_name, number)
            )
            """,
        ]),
        (7, [
            // The stack an app's next build uses (`stack:set`); apps made before stacks could be
            // chosen were all built on bookworm. The build cache remembers the stack it was made
            // on: a build on another stack starts without it.
            "ALTER TABLE apps ADD COLUMN stack text NOT NULL DEFAULT 'bookworm'",
            "ALTER TABLE apps ADD COLUMN build_cache_stack text",
            // The stack a release runs on: its slug's when it was built. A release keeps it, since
            // equal slugs (one tree built on two stacks) share one row in `slugs`.
            "ALTER TABLE releases ADD COLUMN stack text",
            "UPDATE releases r SET stack = s.stack FROM slugs s WHERE s.id = r.slug_id",
        ]),
        (8, [
            // Which apps' processes may open connections to which other apps' (`network:allow`);
            // without a row, containers of different apps cannot reach each other.
            """
            CREATE TABLE app_links (
                from_app uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                to_app uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (from_app, to_app),
                CHECK (from_app <> to_app)
            )
            """,
        ]),
        (9, [
            // What each token may do (`TokenScope`); the router's token can only read routes.
            "ALTER TABLE tokens ADD COLUMN scope text NOT NULL DEFAULT 'admin'",
            "UPDATE tokens SET scope = 'router' WHERE name = 'router'",
            // The token that registered a host: another host token may not take the name over.
            "ALTER TABLE hosts ADD COLUMN registered_by uuid",
        ]),
    ]

    /// Applies the migrations the database has not seen yet.
    static func run(on client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(51005100)", logger: logger)
            do {
                try await apply(on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(51005100)", logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(51005100)", logger: logger)
                throw error
            }
        }
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var applied = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
            .decode(Int.self)
        {
            applied.insert(version)
        }
        for migration in all where !applied.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.sql { try await transaction.query(statement, logger: logger) }
                try await transaction.query(
                    "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)"])
        }
    }
}
