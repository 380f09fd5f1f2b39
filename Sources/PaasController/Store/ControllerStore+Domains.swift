#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// The app's custom domains, by name.
    public func domains(of app: App) async throws -> [Domain] {
        var domains: [Domain] = []
        let rows = try await client.query(
            "SELECT hostname, created_at FROM domains WHERE app_id = \(app.id.uuid) ORDER BY hostname", logger: logger)
        for try await (hostname, createdAt) in rows.decode((String, Date).self) {
            domains.append(Domain(hostname: hostname, appID: app.id, createdAt: createdAt))
        }
        return domains
    }

    /// Every app's custom domains, by app id (for the route table).
    public func allDomains() async throws -> [App.ID: [String]] {
        var domains: [App.ID: [String]] = [:]
        let rows = try await client.query("SELECT app_id, hostname FROM domains ORDER BY hostname", logger: logger)
        for try await (appID, hostname) in rows.decode((UUID, String).self) {
            domains[App.ID(appID), default: []].append(hostname)
        }
        return domains
    }

    /// Adds a custom domain; a host name belongs to one app at most.
    public func addDomain(_ hostname: String, to app: App, actor: String) async throws -> Domain {
        guard let hostname = Hostname.normalized(hostname) else {
            throw ControllerError(status: .unprocessableContent, code: "invalid_domain", message: "'\(hostname)' is not a valid domain. \(Hostname.rule)")
        }
        do {
            try await transaction { connection in
                try await connection.query(
                    "INSERT INTO domains (hostname, app_id) VALUES (\(hostname), \(app.id.uuid))", logger: logger)
                try await recordEvent(on: connection, app: app, actor: actor, action: "domain.add", description: "Added domain \(hostname)")
            }
        } catch where Self.isUniqueViolation(error) {
            throw ControllerError(
                status: .conflict, code: "domain_taken",
                message: "The domain \(hostname) is already in use by an app. Remove it there first with 'paas domains:remove'.")
        }
        return Domain(hostname: hostname, appID: app.id, createdAt: Date())
    }

    /// Removes a custom domain from the app.
    public func removeDomain(_ hostname: String, from app: App, actor: String) async throws {
        let normalized = Hostname.normalized(hostname) ?? hostname
        try await transaction { connection in
            let removed = try await connection.query(
                "DELETE FROM domains WHERE hostname = \(normalized) AND app_id = \(app.id.uuid) RETURNING hostname",
                logger: logger
            ).collect()
            guard !removed.isEmpty else {
                throw ControllerError(
                    status: .notFound, code: "domain_not_found",
                    message: "App '\(app.name)' has no domain \(normalized). Run 'paas domains -a \(app.name)' to list them.")
            }
            try await recordEvent(on: connection, app: app, actor: actor, action: "domain.remove", description: "Removed domain \(normalized)")
        }
    }
}
