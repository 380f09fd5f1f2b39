#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import PostgresNIO

extension ControllerStore {
    /// Creates an API token for `name` that may do what `scope` allows, and returns it in clear;
    /// only its SHA-256 is stored.
    public func createToken(name: String, scope: TokenScope = .admin) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "paas_" + bytes.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        try await client.query(
            "INSERT INTO tokens (id, name, hash, scope) VALUES (\(UUID()), \(name), \(Self.hash(token)), \(scope.rawValue))",
            logger: logger)
        return token
    }

    /// Who holds `token` and what it may do, or nil when the token is unknown.
    public func tokenHolder(_ token: String) async throws -> TokenHolder? {
        let rows = try await client.query("SELECT id, name, scope FROM tokens WHERE hash = \(Self.hash(token))", logger: logger)
        for try await (id, name, scope) in rows.decode((UUID, String, String).self) {
            // A scope this version does not know may do nothing.
            guard let scope = TokenScope(rawValue: scope) else { return nil }
            return TokenHolder(id: id, name: name, scope: scope)
        }
        return nil
    }

    /// How many tokens exist (zero on a new installation).
    public func tokenCount() async throws -> Int {
        let rows = try await client.query("SELECT count(*)::integer FROM tokens", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
