#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PostgresNIO

/// Turns a `postgres://` URL into a PostgresNIO client configuration.
/// `postgres://user:pass@host:5432/db`, or a unix socket with `postgres:///db?host=/run/dir&user=u`.
enum DatabaseURL {
    static func configuration(from text: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw PlatformError("--database-url must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.user ?? query["user"] ?? "postgres"
        let password = components.password ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? nil : path
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            return .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        guard let host = components.host, !host.isEmpty else {
            throw PlatformError("--database-url names no host. Use postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
        }
        let tls: PostgresClient.Configuration.TLS = query["sslmode"] == "require" ? .require(.clientDefault) : .disable
        return .init(host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
    }
}
