#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import PaasCore
import PostgresNIO

/// The controller's state in PostgreSQL: apps, releases, formation, domains, tokens, events.
/// The controller is the database's only user; nothing else reads these tables.
public struct ControllerStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Brings the schema up to date; safe to call at every start.
    public func migrate() async throws {
        try await Migrations.run(on: client, logger: logger)
    }

    /// Runs `body` in a transaction.
    func transaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            // Surface the closure's own error (e.g. a ControllerError), not the wrapper.
            throw error.closureError ?? error.commitError ?? error
        }
    }

    /// Appends an audit event on `connection`, inside the caller's transaction.
    func recordEvent(
        on connection: PostgresConnection, app: App?, actor: String, action: String, description: String
    ) async throws {
        try await connection.query(
            """
            INSERT INTO events (app_id, app_name, actor, action, description)
            VALUES (\(app?.id.uuid), \(app?.name.rawValue), \(actor), \(action), \(description))
            """, logger: logger)
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    static func encodeJSON<Value: Encodable>(_ value: Value) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeJSON<Value: Decodable>(_ text: String, as type: Value.Type = [String: String].self) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
