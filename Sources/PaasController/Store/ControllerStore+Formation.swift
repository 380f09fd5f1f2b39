import PaasCore
import PostgresNIO

extension ControllerStore {
    /// The app's formation: scaled quantities merged with the current release's process types.
    public func formation(of app: App) async throws -> Formation {
        try await client.withConnection { connection in
            try await readFormation(on: connection, app: app)
        }
    }

    /// The app's scaled quantities merged with `processTypes` (those of the release being deployed).
    public func formation(of app: App, processTypes: [String: String]) async throws -> Formation {
        try await client.withConnection { connection in
            try await readFormation(on: connection, app: app, processTypes: processTypes)
        }
    }

    /// Scales process types, e.g. `["web": 2]`. Types the current release does not define are refused
    /// once it defines any.
    public func scale(_ app: App, update: [String: Int], actor: String) async throws -> Formation {
        try await transaction { connection in
            let processTypes = try await currentProcessTypes(on: connection, app: app)
            if let problem = Formation.problem(with: update, processTypes: processTypes) {
                throw ControllerError(status: .unprocessableContent, code: "invalid_formation", message: problem)
            }
            for (type, quantity) in update {
                try await connection.query(
                    """
                    INSERT INTO formations (app_id, type, quantity) VALUES (\(app.id.uuid), \(type), \(quantity))
                    ON CONFLICT (app_id, type) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
                    """, logger: logger)
            }
            let summary = update.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            try await recordEvent(on: connection, app: app, actor: actor, action: "formation.scale", description: "Scaled to \(summary)")
            return try await readFormation(on: connection, app: app)
        }
    }

    /// Sets the memory limit of a process type's processes (`ps:resize`).
    public func resize(_ app: App, type: String, memoryMiB: Int, actor: String) async throws -> Formation {
        try await transaction { connection in
            let processTypes = try await currentProcessTypes(on: connection, app: app)
            guard ProcessTypeName.isValid(type), processTypes.isEmpty || processTypes[type] != nil, type != Formation.releasePhaseType else {
                let known = processTypes.keys.filter { $0 != Formation.releasePhaseType }.sorted().joined(separator: ", ")
                throw ControllerError(
                    status: .unprocessableContent, code: "invalid_formation",
                    message: "This app has no process type '\(type)' to resize. Its types are: \(known.isEmpty ? "none yet" : known).")
            }
            guard ProcessMemory.rangeMiB.contains(memoryMiB) else {
                throw ControllerError(
                    status: .unprocessableContent, code: "invalid_size",
                    message: "Memory limits go from \(ProcessMemory.rangeMiB.lowerBound) MiB to \(ProcessMemory.rangeMiB.upperBound / 1024) GiB, e.g. '--memory 1G'.")
            }
            try await connection.query(
                """
                INSERT INTO process_sizes (app_id, type, memory_mib) VALUES (\(app.id.uuid), \(type), \(memoryMiB))
                ON CONFLICT (app_id, type) DO UPDATE SET memory_mib = EXCLUDED.memory_mib
                """, logger: logger)
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "formation.resize", description: "Resized \(type) to \(memoryMiB) MiB")
            return try await readFormation(on: connection, app: app)
        }
    }

    private func readFormation(
        on connection: PostgresConnection, app: App, processTypes: [String: String]? = nil
    ) async throws -> Formation {
        var scaled: [String: Int] = [:]
        let rows = try await connection.query("SELECT type, quantity FROM formations WHERE app_id = \(app.id.uuid)", logger: logger)
        for try await (type, quantity) in rows.decode((String, Int).self) { scaled[type] = quantity }
        var memory: [String: Int] = [:]
        let sizes = try await connection.query("SELECT type, memory_mib FROM process_sizes WHERE app_id = \(app.id.uuid)", logger: logger)
        for try await (type, mebibytes) in sizes.decode((String, Int).self) { memory[type] = mebibytes }
        let types = if let processTypes { processTypes } else { try await currentProcessTypes(on: connection, app: app) }
        return Formation(scaled: scaled, processTypes: types, memory: memory)
    }

    /// Process types of the newest release that has a slug (types come from slugs, not from config).
    private func currentProcessTypes(on connection: PostgresConnection, app: App) async throws -> [String: String] {
        let rows = try await connection.query(
            """
            SELECT process_types::text FROM releases
            WHERE app_id = \(app.id.uuid) AND slug_id IS NOT NULL AND status = 'succeeded'
            ORDER BY version DESC LIMIT 1
            """, logger: logger)
        for try await text in rows.decode(String.self) { return try Self.decodeJSON(text) }
        return [:]
    }
}
