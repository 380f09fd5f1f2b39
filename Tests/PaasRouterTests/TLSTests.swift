import PaasAPI
import PaasTesting
import Testing
@testable import PaasRouter

@Suite(.tags(.medium))
struct TLSTests {
    /// A self-signed certificate for `domain` made by `openssl`.
    static func certificate(for domain: String, in directory: String) async throws -> RouteCertificateResource {
        let result = try await runProgram(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
             "-subj", "/CN=\(domain)", "-addext", "subjectAltName=DNS:\(domain)",
             "-keyout", "\(directory)/\(domain).key", "-out", "\(directory)/\(domain).crt"])
        try #require(result.status == 0, "openssl failed: \(result.stderr)")
        return RouteCertificateResource(
            domains: [domain], certificatePEM: try #require(TestFiles.read("\(directory)/\(domain).crt")),
            privateKeyPEM: try #require(TestFiles.read("\(directory)/\(domain).key")))
    }

    static func curl(_ arguments: [String]) async throws -> ProgramResult {
        try await runProgram("/usr/bin/curl", ["-sS", "-k", "--max-time", "20"] + arguments)
    }

    @Test func certificatesAreChosenBySNIAndHTTP2IsNegotiated() async throws {
        let directory = try TemporaryDirectory.make(prefix: "router-tls")
        defer { TemporaryDirectory.remove(directory) }
        let backend = try await TestBackend.start(name: "tls")
        defer { Task { await backend.stop() } }
        let one = try await Self.certificate(for: "one.test", in: directory)
        let two = try await Self.certificate(for: "two.test", in: directory)
        try await RouterHarness.with(
            table(app("one", domains: ["one.test"], [backend]), app("two", domains: ["two.test"], [backend]), certificates: [one, two])
        ) { harness in
            let port = try #require(harness.ports.https)
            for name in ["one.test", "two.test"] {
                let result = try await Self.curl([
                    "-v", "--http1.1", "--resolve", "\(name):\(port):127.0.0.1", "https://\(name):\(port)/headers",
                ])
                #expect(result.stderr.contains("subject: CN=\(name)"), "\(result.stderr)")
                #expect(result.stdout.contains("x-forwarded-proto: https\n"))
            }
            let fallback = try await Self.curl([
                "-v", "--resolve", "one.localhost:\(port):127.0.0.1", "https://one.localhost:\(port)/",
            ])
            #expect(fallback.stderr.contains("subject: O=paas; CN=localhost") || fallback.stderr.contains("CN=localhost"))
            #expect(fallback.stdout == "backend tls")

            let h2 = try await Self.curl([
                "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                "--resolve", "two.test:\(port):127.0.0.1", "https://two.test:\(port)/",
            ])
            #expect(h2.stdout == "2 200", "\(h2.stderr)")
            let h2Upload = try await Self.curl([
                "--http2", "--data-binary", "hello", "--resolve", "two.test:\(port):127.0.0.1", "https://two.test:\(port)/upload",
            ])
            #expect(h2Upload.stdout.hasPrefix("5 2cf24dba"), "\(h2Upload.stderr)")
        }
    }

    @Test func plainHTTPIsRedirectedForAppsThatAskForIt() async throws {
        let backend = try await TestBackend.start(name: "r")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("secure", redirectHTTPS: true, [backend]), app("plain", [backend]))) { harness in
            let https = try #require(harness.ports.https)
            let redirected = try await harness.fetch(host: "secure.localhost:\(harness.ports.http)", path: "/a/b?c=d")
            #expect(redirected.status == 301)
            #expect(redirected.headers["location"] == ["https://secure.localhost:\(https)/a/b?c=d"])
            #expect(try await harness.fetch(host: "plain.localhost").status == 200)
            let followed = try await Self.curl([
                "-L", "--resolve", "secure.localhost:\(harness.ports.http):127.0.0.1",
                "--resolve", "secure.localhost:\(https):127.0.0.1", "http://secure.localhost:\(harness.ports.http)/",
            ])
            #expect(followed.stdout == "backend r")
        }
    }
}
