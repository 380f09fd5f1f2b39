// The router on real parts: `paasd`'s router follows the controller's route table and proxies
// real HTTP (and HTTPS) to apps' web processes in runc containers.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct RouterTests {
    @Test func appsAreServedByHostAndLoadIsSpreadAndDomainsFollowLive() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let router = try RouterProbe(sandbox)
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            #expect(try await router.eventually(host: "demo.localhost") { $0.status == 200 && $0.body.hasPrefix("web.1 v2 10000") })

            let unknown = try await router.get(host: "nobody.localhost")
            #expect(unknown.status == 404)
            _ = try await sandbox.client.createApp(name: "empty")
            #expect(try await router.eventually(host: "empty.localhost") { $0.status == 503 && $0.body.contains("No web processes are running for empty") })

            _ = try await sandbox.client.scale(app: "demo", ["web": 3])
            #expect(try await router.eventually(host: "demo.localhost") { $0.body.hasPrefix("web.3 ") })
            var seen: Set<String> = []
            for _ in 0..<30 { seen.insert(String(try await router.get(host: "demo.localhost").body.prefix(5))) }
            #expect(seen == ["web.1", "web.2", "web.3"], "every web process got requests")

            _ = try await sandbox.client.addDomain(app: "demo", hostname: "www.example.com")
            _ = try await sandbox.client.addDomain(app: "demo", hostname: "*.example.org")
            #expect(try await router.eventually(host: "www.example.com") { $0.status == 200 && $0.body.hasPrefix("web.") })
            #expect(try await router.eventually(host: "shop.example.org") { $0.status == 200 && $0.body.hasPrefix("web.") })
            try await sandbox.client.removeDomain(app: "demo", hostname: "www.example.com")
            #expect(try await router.eventually(host: "www.example.com") { $0.status == 404 })

            // The app's log has the router's lines.
            var logs: [String] = []
            try await eventually("the router's line in the app's log", state: { "\(logs.suffix(5))" }) {
                logs = try await sandbox.client.logs(app: "demo", lines: 1000)
                return logs.contains(where: { $0.contains(" paas[router]: at=info method=GET path=\"/\" host=demo.localhost") }) ? () : nil
            }
            #expect(logs.contains { $0.contains(" paas[router]: at=info method=GET path=\"/\" host=demo.localhost") && $0.contains("status=200") }, "\(logs.suffix(5))")
        }
    }

    @Test func aRedeployUnderSteadyRequestsDropsNone() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let router = try RouterProbe(sandbox)
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            _ = try await sandbox.client.scale(app: "demo", ["web": 2])
            #expect(try await router.eventually(host: "demo.localhost") { $0.body.hasPrefix("web.2 v2") })
            let done = StopFlag()
            let loop = Task {
                var answers: [Int: Int] = [:]
                var bodies: Set<String> = []
                var failures: [String] = []
                for _ in 0..<2000 {
                    let response = try await router.get(host: "demo.localhost")
                    answers[response.status, default: 0] += 1
                    if response.status != 200 { failures.append(response.body) }
                    bodies.insert(String(response.body.split(separator: " ").prefix(2).joined(separator: " ")))
                    // Until told, and until this loop has had an answer of the last release itself.
                    if await done.isSet, bodies.contains(where: { $0.hasSuffix(" v4") }) { break }
                }
                return (answers, bodies, failures)
            }
            // Two redeploys (new releases) while the requests go on, until the router serves the last.
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "a"])
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "b"])
            #expect(try await router.eventually(host: "demo.localhost") { $0.body.contains(" v4 ") })
            await done.set()
            let (answers, bodies, failures) = try await loop.value
            #expect(answers.keys.sorted() == [200], "every request answered 200: \(answers) \(failures.prefix(3))")
            #expect(bodies.contains { $0.hasSuffix(" v2") } && bodies.contains { $0.hasSuffix(" v4") }, "old and new releases served: \(bodies)")
        }
    }

    @Test func httpsServesEachDomainsCertificateByNameAndRedirects() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let router = try RouterProbe(sandbox)
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            for domain in ["www.example.com", "api.example.net"] {
                _ = try await sandbox.client.addDomain(app: "demo", hostname: domain)
                let (certificate, key) = try await TestCertificates.make(domains: [domain], in: sandbox.root)
                _ = try await sandbox.client.addCertificate(app: "demo", CertificateCreateRequest(certificatePEM: certificate, privateKeyPEM: key))
            }
            for domain in ["www.example.com", "api.example.net"] {
                var result = try await router.https(domain)
                try await eventually("the certificate for \(domain)", interval: .milliseconds(200), state: { result.stderr }) {
                    result = try await router.https(domain)
                    return result.stderr.contains("subject: CN=\(domain)") ? () : nil
                }
                #expect(result.stderr.contains("subject: CN=\(domain)"), "the certificate for \(domain): \(result.stderr)")
                #expect(result.stdout.hasPrefix("web.1 v2"), "\(result.stdout)")
            }
            _ = try await sandbox.client.updateApp("demo", AppUpdateRequest(redirectHTTPS: true))
            #expect(try await router.eventually(host: "www.example.com") {
                $0.status == 301 && $0.location == "https://www.example.com:\(router.httpsPort)/"
            })
        }
    }
}

/// Tells a loop to end (cancelling it would kill its curl mid-request).
actor StopFlag {
    private(set) var isSet = false
    func set() { isSet = true }
}

/// Requests to the test platform's router with curl.
struct RouterProbe: Sendable {
    let httpPort: Int
    let httpsPort: Int

    init(_ sandbox: PushSandbox) throws {
        let ports = try #require(sandbox.platform.routerPorts)
        httpPort = ports.http
        httpsPort = try #require(ports.https)
    }

    struct Answer { var status: Int; var body: String; var location: String? }

    /// `GET /` with `Host: host` on the router's HTTP port.
    func get(host: String) async throws -> Answer {
        let result = try await runProgram(
            "/usr/bin/curl",
            ["--noproxy", "*", "-sS", "--max-time", "10", "-H", "Host: \(host)", "-D", "-", "http://127.0.0.1:\(httpPort)/"])
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let location = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }
            .map { $0.dropFirst("location:".count).trimmingCharacters(in: .whitespaces) }
        guard status != 0 else { return Answer(status: 0, body: "curl exited \(result.status): \(result.stderr) \(result.stdout.prefix(300))", location: nil) }
        return Answer(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), location: location)
    }

    /// Whether `GET /` on `host` comes to satisfy `check` (the route table follows changes live);
    /// records a test issue with the last answer if it does not before the hang guard.
    func eventually(host: String, _ check: (Answer) -> Bool) async throws -> Bool {
        try await answers(host, check) { try await get(host: host) }
    }

    /// Whether `ask`'s answer comes to satisfy `check`, asked every 200 ms until the hang guard;
    /// records a test issue with the last answer (about `what`) if it does not.
    func answers(_ what: String, _ check: (Answer) -> Bool, _ ask: () async throws -> Answer) async throws -> Bool {
        var last: Answer?
        do {
            try await PaasTesting.eventually("\(what) answers as expected", interval: .milliseconds(200)) {
                let answer = try await ask()
                last = answer
                return check(answer) ? () : nil
            }
            return true
        } catch is TestFailure {
            Issue.record("\(what) answered \(last?.status ?? 0): \(last?.body.prefix(300) ?? "")")
            return false
        }
    }

    /// `GET https://domain/` through the router's HTTPS port (curl -v shows the certificate).
    func https(_ domain: String) async throws -> ProgramResult {
        try await runProgram(
            "/usr/bin/curl",
            ["--noproxy", "*", "-sS", "-v", "-k", "--max-time", "10", "--resolve", "\(domain):\(httpsPort):127.0.0.1", "https://\(domain):\(httpsPort)/"])
    }
}
