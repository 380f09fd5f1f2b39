#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI
import PaasCore
import PostgresNIO

extension ControllerStore {
    /// Adds an app's certificate; returns its name.
    func addCertificate(_ bundle: CertificateBundle, to app: App, actor: String) async throws -> CertificateResource {
        let name = "cert-" + UUID().uuidString.lowercased().prefix(8)
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO certificates (name, app_id, domains, certificate_pem, private_key_pem, expires_at)
                VALUES (\(name), \(app.id.uuid), \(Self.encodeJSON(bundle.domains))::jsonb, \(bundle.certificatePEM),
                        \(bundle.privateKeyPEM), \(bundle.expiresAt))
                """, logger: logger)
            try await recordEvent(
                on: connection, app: app, actor: actor, action: "cert.add",
                description: "Added certificate \(name) for \(bundle.domains.joined(separator: ", "))")
        }
        return CertificateResource(name: name, domains: bundle.domains, expiresAt: bundle.expiresAt, createdAt: Date())
    }

    /// The app's certificates, newest first (without keys).
    func certificates(of app: App) async throws -> [CertificateResource] {
        var found: [CertificateResource] = []
        let rows = try await client.query(
            """
            SELECT name, domains::text, expires_at, created_at FROM certificates
            WHERE app_id = \(app.id.uuid) ORDER BY created_at DESC
            """, logger: logger)
        for try await (name, domains, expiresAt, createdAt) in rows.decode((String, String, Date, Date).self) {
            found.append(
                CertificateResource(name: name, domains: try Self.decodeJSON(domains, as: [String].self), expiresAt: expiresAt, createdAt: createdAt))
        }
        return found
    }

    /// Removes one of the app's certificates.
    func removeCertificate(named name: String, from app: App, actor: String) async throws {
        try await transaction { connection in
            let removed = try await connection.query(
                "DELETE FROM certificates WHERE app_id = \(app.id.uuid) AND name = \(name) RETURNING name", logger: logger
            ).collect()
            guard !removed.isEmpty else {
                throw ControllerError(
                    status: .notFound, code: "certificate_not_found",
                    message: "App '\(app.name)' has no certificate '\(name)'. Run 'paas certs -a \(app.name)' to list them.")
            }
            try await recordEvent(on: connection, app: app, actor: actor, action: "cert.remove", description: "Removed certificate \(name)")
        }
    }

    /// Every app's certificates with their keys, newest first: what routers serve by SNI, each
    /// for the names it covers that its own app owns (`CertificateCoverage`), none for others'.
    func routeCertificates(defaultDomain: String) async throws -> [RouteCertificateResource] {
        let domains = try await allDomains()
        var found: [RouteCertificateResource] = []
        let rows = try await client.query(
            """
            SELECT c.domains::text, c.certificate_pem, c.private_key_pem, a.id, a.name
            FROM certificates c JOIN apps a ON a.id = c.app_id ORDER BY c.created_at DESC
            """, logger: logger)
        for try await (names, certificate, key, appID, app) in rows.decode((String, String, String, UUID, String).self) {
            let hostnames = CertificateCoverage.hostnames(app: app, defaultDomain: defaultDomain, customDomains: domains[App.ID(appID)] ?? [])
            let served = CertificateCoverage.served(certificateNames: try Self.decodeJSON(names, as: [String].self), appHostnames: hostnames)
            guard !served.isEmpty else { continue }
            found.append(RouteCertificateResource(domains: served, certificatePEM: certificate, privateKeyPEM: key))
        }
        return found
    }
}
