#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Self-signed certificates made with the real `openssl`, for TLS tests.
public enum TestCertificates {
    /// A certificate for `domains` and its key, PEM.
    public static func make(domains: [String], in directory: String) async throws -> (certificate: String, key: String) {
        let name = directory + "/cert-\(UInt32.random(in: 0...UInt32.max))"
        let result = try await runProgram(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-subj", "/CN=\(domains[0])", "-addext", "subjectAltName=" + domains.map { "DNS:\($0)" }.joined(separator: ","),
                "-keyout", name + ".key", "-out", name + ".crt",
            ])
        guard result.status == 0 else { throw TestFailure("openssl failed: \(result.stderr)") }
        return (try String(contentsOfFile: name + ".crt", encoding: .utf8), try String(contentsOfFile: name + ".key", encoding: .utf8))
    }
}
