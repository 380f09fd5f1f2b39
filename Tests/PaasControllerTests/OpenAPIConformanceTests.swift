// Checks the running controller against `Sources/PaasAPI/openapi.yaml`: a scenario sends every
// documented operation (and every error it documents), each answer must have a documented status
// and the documented shape, and at the end every operation and status must have been seen, so
// neither the server nor the document can drift from the other silently.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI
import PaasBlobs
import PaasController
import PaasTesting
import Testing

@Suite(.tags(.medium)) struct OpenAPIConformanceTests {
    @Test func everyAnswerOfTheServerIsDocumentedAndEveryDocumentedAnswerHappens() async throws {
        let spec = try OpenAPISpec.load()
        try await TestPlatform.withRunning(trixie: true) { platform in
            var exchanges = OpenAPIExchanges(spec: spec, platform: platform)
            try await exchanges.healthAndAccount()
            try await exchanges.apps()
            try await exchanges.tokensAreRequired()
            try await exchanges.unknownAppsAreNotFound()
            try await exchanges.malformedAndOversizedBodiesAreRefused()
            try await exchanges.configVars()
            try await exchanges.releasesAndRollbacks()
            try await exchanges.formation()
            try await exchanges.appSettings()
            try await exchanges.stacks()
            try await exchanges.domains()
            try await exchanges.network()
            try await exchanges.addons()
            try await exchanges.certificatesAndTheRouteTable()
            try await exchanges.events()
            try await exchanges.builds()
            try await exchanges.blobs()
            try await exchanges.processes()
            try await exchanges.hosts()
            try await exchanges.scopedTokensDoTheirJobOnly()
            try await exchanges.destroyingApps()
            try await exchanges.undocumentedEndpointsAreNotFound()

            for operation in spec.operations {
                let seen = exchanges.seen[operation] ?? []
                #expect(!seen.isEmpty, "the scenario never called \(operation)")
                // 500 cannot be provoked from outside; a run's stream needs a platform that runs
                // processes (DeployTests covers it); every other documented status must happen.
                var unprovokable: Set<String> = ["500"]
                if operation.path == "/v1/apps/{app}/runs" { unprovokable.formUnion(["200", "202"]) }
                if operation.path == "/v1/apps/{app}/runs/interactive" { unprovokable.insert("200") }
                // An add-on server failing under an existing add-on is not provoked here; attaching is.
                if operation.path.hasPrefix("/v1/apps/{app}/addons/") { unprovokable.insert("503") }
                let missing = spec.statuses(of: operation).subtracting(seen).subtracting(unprovokable)
                #expect(missing.isEmpty, "\(operation) documents \(missing.sorted()) but the server never answered so")
            }
        }
    }
}

/// The scenario: sends requests to a test platform, checks each answer against the document and
/// remembers which statuses each operation answered with.
struct OpenAPIExchanges {
    let spec: OpenAPISpec
    let platform: TestPlatform
    /// Statuses (as in the document, e.g. "201") each operation answered with.
    private(set) var seen: [OpenAPISpec.Operation: Set<String>] = [:]

    init(spec: OpenAPISpec, platform: TestPlatform) {
        self.spec = spec
        self.platform = platform
    }

    /// A body over the API's 1 MiB limit.
    static let oversized = #"{"name":""# + String(repeating: "a", count: 1 << 20) + #""}"#

    // MARK: - The scenario

    mutating func healthAndAccount() async throws {
        try await send("GET", "/healthz", authorization: .none, expect: 200)
        let account = try await send("GET", "/v1/account", expect: 200)
        #expect(account?["name"]?.stringValue == "admin")
    }

    mutating func apps() async throws {
        let empty = try await send("GET", "/v1/apps", expect: 200)
        #expect(empty == .array([]))
        let created = try await send("POST", "/v1/apps", json: #"{"name":"myapp"}"#, expect: 201)
        #expect(created?["current_release"] == .integer(1))
        try await send("POST", "/v1/apps", json: #"{"name":"lonely"}"#, expect: 201)
        try await send("POST", "/v1/apps", json: #"{"name":"myapp"}"#, expect: 409, code: "app_name_taken")
        try await send("POST", "/v1/apps", json: #"{"name":"My_App"}"#, expect: 422, code: "invalid_app_name")
        try await send("POST", "/v1/apps", json: #"{"name":"x"}"#, expect: 422, code: "invalid_app_name")
        // No body, or no name: the server picks one, which must follow the documented pattern too.
        let random = try await send("POST", "/v1/apps", expect: 201)
        try await send("POST", "/v1/apps", json: #"{"name":null}"#, expect: 201)
        try await send("GET", "/v1/apps", expect: 200)
        try await send("GET", "/v1/apps/myapp", expect: 200)
        if let name = random?["name"]?.stringValue {
            try await send("DELETE", "/v1/apps/\(name)", expect: 204)
        }
    }

    mutating func tokensAreRequired() async throws {
        for operation in spec.operations where operation.path.hasPrefix("/v1/") {
            let path = concrete(operation.path)
            let json = spec.requestBody(of: operation) == nil ? nil : "{}"
            try await send(operation.method, path, json: json, authorization: .none, expect: 401, code: "unauthorized")
            try await send(
                operation.method, path, json: json, authorization: .header("Bearer paas_0000"), expect: 401,
                code: "invalid_token")
        }
    }

    mutating func unknownAppsAreNotFound() async throws {
        for operation in spec.operations where operation.path.contains("{app}") {
            let json = spec.requestBody(of: operation) == nil ? nil : "{}"
            try await send(operation.method, concrete(operation.path, app: "ghost"), json: json, expect: 404, code: "app_not_found")
        }
        // A name that cannot be an app is simply not found.
        try await send("GET", "/v1/apps/Not_An_App", expect: 404, code: "app_not_found")
    }

    mutating func malformedAndOversizedBodiesAreRefused() async throws {
        for operation in spec.operations where spec.requestBody(of: operation) != nil {
            let path = concrete(operation.path)
            try await send(operation.method, path, json: #"{"oops"#, expect: 400, code: "bad_request")
            // A stream of frames has no size limit, only its frames have.
            guard spec.requestBody(of: operation).flatMap(OpenAPISpec.jsonSchema(of:)) != nil else { continue }
            try await send(operation.method, path, json: Self.oversized, expect: 413, code: "body_too_large")
        }
        try await send("POST", "/v1/apps/myapp/runs/interactive", body: RunFrame.input(Array("ls\n".utf8)).encoded, expect: 400, code: "bad_request")
        try await send("POST", "/v1/apps/myapp/runs/interactive", body: Self.startFrame(#"{"cmd":"ls"}"#), expect: 400, code: "bad_request")
        // Well-formed JSON of the wrong shape is a 400 as well.
        try await send("POST", "/v1/apps", json: #"{"name":5}"#, expect: 400, code: "bad_request")
        try await send("POST", "/v1/apps", json: "[]", expect: 400, code: "bad_request")
    }

    mutating func configVars() async throws {
        let empty = try await send("GET", "/v1/apps/myapp/config-vars", expect: 200)
        #expect(empty == .object([:]))
        try await send("PATCH", "/v1/apps/myapp/config-vars", json: #"{"FOO":"bar","BAZ":"qux"}"#, expect: 200)
        let unset = try await send("PATCH", "/v1/apps/myapp/config-vars", json: #"{"BAZ":null}"#, expect: 200)
        #expect(unset == .object(["FOO": .string("bar")]))
        try await send("GET", "/v1/apps/myapp/config-vars", expect: 200)
        try await send("PATCH", "/v1/apps/myapp/config-vars", json: "{}", expect: 422, code: "invalid_request")
        try await send("PATCH", "/v1/apps/myapp/config-vars", json: #"{"1BAD":"x"}"#, expect: 422, code: "invalid_config_var")
        try await send("PATCH", "/v1/apps/myapp/config-vars", json: #"{"FOO":1}"#, expect: 400, code: "bad_request")
    }

    /// myapp has v1 (initial) and v2, v3 (config) here: none has a slug yet.
    mutating func releasesAndRollbacks() async throws {
        try await send("POST", "/v1/apps/lonely/rollback", expect: 422, code: "no_previous_release")
        try await send("POST", "/v1/apps/myapp/rollback", expect: 422, code: "release_has_no_slug")
        try await send("POST", "/v1/apps/myapp/rollback", json: #"{"version":1}"#, expect: 422, code: "release_has_no_slug")
        try await send("POST", "/v1/apps/myapp/rollback", json: #"{"version":99}"#, expect: 404, code: "release_not_found")
        try await send("POST", "/v1/apps/myapp/rollback", json: #"{"version":"v2"}"#, expect: 400, code: "bad_request")

        let deployed = try await platform.withStore { store in
            try await store.recordSucceededDeploy(
                try await store.requireApp(named: "myapp"), slugID: String(repeating: "ab", count: 32),
                processTypes: ["web": "node server.js", "worker": "node worker.js"], commit: "1a2b3c4d5e6f", actor: "admin"
            ).version
        }
        #expect(deployed == 4)
        try await send("PATCH", "/v1/apps/myapp/config-vars", json: #"{"FOO":"baz"}"#, expect: 200)  // v5
        let rolledBack = try await send("POST", "/v1/apps/myapp/rollback", json: #"{"version":4}"#, expect: 201)  // v6
        #expect(rolledBack?["version"] == .integer(6))
        #expect(rolledBack?["current"] == .bool(true))
        try await send("POST", "/v1/apps/myapp/rollback", expect: 201)  // v7, back to v5
        try await send("POST", "/v1/apps/myapp/rollback", json: #"{"version":null}"#, expect: 201)  // v8

        let releases = try await send("GET", "/v1/apps/myapp/releases", expect: 200)
        if case .array(let list) = releases { #expect(list.count == 8) }
        let first = try await send("GET", "/v1/apps/myapp/releases/1", expect: 200)
        #expect(first?["slug_id"] == nil, "a release without a slug leaves slug_id out")
        let withSlug = try await send("GET", "/v1/apps/myapp/releases/v4", expect: 200)
        #expect(withSlug?["slug_id"] != nil)
        try await send("GET", "/v1/apps/myapp/releases/99", expect: 404, code: "release_not_found")
        try await send("GET", "/v1/apps/myapp/releases/abc", expect: 422, code: "invalid_request")
        try await send("GET", "/v1/apps/myapp/releases/v0", expect: 422, code: "invalid_request")
    }

    mutating func formation() async throws {
        let none = try await send("GET", "/v1/apps/lonely/formation", expect: 200)
        #expect(none == .array([]))
        // Without code there are no commands: `command` is left out.
        try await send("PATCH", "/v1/apps/lonely/formation", json: #"{"web":1}"#, expect: 200)
        let formation = try await send("GET", "/v1/apps/myapp/formation", expect: 200)
        #expect(formation == .array([
            .object(["type": .string("web"), "quantity": .integer(1), "command": .string("node server.js")]),
            .object(["type": .string("worker"), "quantity": .integer(0), "command": .string("node worker.js")]),
        ]))
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"web":2,"worker":1}"#, expect: 200)
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"web":101}"#, expect: 422, code: "invalid_formation")
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"web":-1}"#, expect: 422, code: "invalid_formation")
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"clock":1}"#, expect: 422, code: "invalid_formation")
        try await send("PATCH", "/v1/apps/myapp/formation", json: "{}", expect: 422, code: "invalid_formation")
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"web":"two"}"#, expect: 400, code: "bad_request")
        try await send("PATCH", "/v1/apps/myapp/formation", json: #"{"web":1.5}"#, expect: 400, code: "bad_request")
    }

    mutating func appSettings() async throws {
        let updated = try await send("PATCH", "/v1/apps/myapp", json: #"{"boot_timeout_seconds":120}"#, expect: 200)
        if case .object(let app) = updated {
            #expect(app["settings"] == .object(["boot_timeout_seconds": .integer(120), "stopped": .bool(false), "redirect_https": .bool(false)]))
        }
        try await send("PATCH", "/v1/apps/myapp", json: "{}", expect: 422, code: "invalid_request")
        try await send("PATCH", "/v1/apps/myapp", json: #"{"stop_timeout_seconds":0}"#, expect: 422, code: "invalid_request")
        try await send("PATCH", "/v1/apps/myapp", json: #"{"stopped":"yes"}"#, expect: 400, code: "bad_request")

        let resized = try await send("PATCH", "/v1/apps/myapp/formation/web", json: #"{"memory_mib":1024}"#, expect: 200)
        if case .array(let entries) = resized, case .object(let web) = entries.first {
            #expect(web["memory_mib"] == .integer(1024))
        }
        try await send("PATCH", "/v1/apps/myapp/formation/web", json: #"{"memory_mib":10}"#, expect: 422, code: "invalid_size")
        try await send("PATCH", "/v1/apps/myapp/formation/clock", json: #"{"memory_mib":512}"#, expect: 422, code: "invalid_formation")
        try await send("PATCH", "/v1/apps/myapp/formation/web", json: #"{"memory_mib":"1G"}"#, expect: 400, code: "bad_request")
    }

    mutating func stacks() async throws {
        let stacks = try await send("GET", "/v1/stacks", expect: 200)
        guard case .array(let list) = stacks else { return #expect(Bool(false), "GET /v1/stacks: \(String(describing: stacks))") }
        #expect(list.map { $0["name"]?.stringValue ?? "" } == ["bookworm", "trixie"])
        #expect(list.map { $0["default"] } == [.bool(true), .bool(false)])
        #expect(try await send("GET", "/v1/apps/myapp", expect: 200)?["stack"]?.stringValue == "bookworm")
        let newer = try await send("POST", "/v1/apps", json: #"{"name":"newer","stack":"trixie"}"#, expect: 201)
        #expect(newer?["stack"]?.stringValue == "trixie")
        try await send("DELETE", "/v1/apps/newer", expect: 204)
        let refused = try await send("POST", "/v1/apps", json: #"{"name":"older","stack":"jessie"}"#, expect: 422, code: "unknown_stack")
        #expect(refused?["error"]?["message"]?.stringValue?.contains("bookworm, trixie") == true)
        let moved = try await send("PATCH", "/v1/apps/myapp", json: #"{"stack":"trixie"}"#, expect: 200)
        #expect(moved?["stack"]?.stringValue == "trixie")
        #expect(moved?["settings"]?["boot_timeout_seconds"] == .integer(120))
        try await send("PATCH", "/v1/apps/myapp", json: #"{"stack":"jessie"}"#, expect: 422, code: "unknown_stack")
        let back = try await send("PATCH", "/v1/apps/myapp", json: #"{"stack":"bookworm","stop_timeout_seconds":20}"#, expect: 200)
        #expect(back?["stack"]?.stringValue == "bookworm")
        #expect(back?["settings"]?["stop_timeout_seconds"] == .integer(20))
    }

    mutating func hosts() async throws {
        // Nothing listens there: registering only records it, and converging skips a host that does not answer.
        let host = try await send(
            "PUT", "/v1/hosts/host-1", json: #"{"runner_url":"http://127.0.0.1:9","host_token":"host_x"}"#, expect: 200)
        if case .object(let fields) = host { #expect(fields["host_token"] == nil, "the token is never shown") }
        let hosts = try await send("GET", "/v1/hosts", expect: 200)
        if case .array(let list) = hosts { #expect(list.count == 1) }
        try await send("PUT", "/v1/hosts/bad_name!", json: #"{"runner_url":"http://127.0.0.1:9","host_token":"t"}"#, expect: 422, code: "invalid_request")
        try await send("PUT", "/v1/hosts/host-2", json: #"{"runner_url":"not a url","host_token":"t"}"#, expect: 422, code: "invalid_request")
        try await send("PUT", "/v1/hosts/host-2", json: #"{"runner_url":"http://x"}"#, expect: 400, code: "bad_request")
        // With hosts registered but none answering, what needs a runner says so.
        try await send("POST", "/v1/apps/myapp/processes/restart", expect: 503, code: "no_runner_host")
        try await send("POST", "/v1/apps/myapp/runs", json: #"{"command":["echo hi"]}"#, expect: 503, code: "no_runner_host")
        try await send("POST", "/v1/apps/myapp/runs/interactive", body: Self.startFrame(#"{"command":["sh"]}"#), expect: 503, code: "no_runner_host")
    }

    /// The router's and a runner host's tokens: every request but their own job is refused, and
    /// a host token cannot take over a host another token registered.
    mutating func scopedTokensDoTheirJobOnly() async throws {
        let (router, join, otherJoin) = try await platform.withStore { store in
            (
                try await store.createToken(name: "router", scope: .router), try await store.createToken(name: "join", scope: .host),
                try await store.createToken(name: "join-2", scope: .host)
            )
        }
        let allowed: [TokenScope: Set<String>] = [
            .router: ["GET /v1/router/table", "POST /v1/router/logs"], .host: ["PUT /v1/hosts/{name}", "GET /v1/blobs/{id}", "HEAD /v1/blobs/{id}"],
        ]
        for operation in spec.operations where operation.path.hasPrefix("/v1/") {
            let json = spec.requestBody(of: operation) == nil ? nil : "{}"
            for (scope, token) in [(TokenScope.router, router), (.host, join)]
            where !(allowed[scope] ?? []).contains("\(operation.method) \(operation.path)") {
                try await send(
                    operation.method, concrete(operation.path), json: json, authorization: .header("Bearer \(token)"), expect: 403,
                    code: "token_out_of_scope")
            }
        }
        try await send("GET", "/v1/router/table", authorization: .header("Bearer \(router)"), expect: 200)
        let registration = #"{"runner_url":"http://127.0.0.1:9","host_token":"host_y"}"#
        try await send("PUT", "/v1/hosts/joined-1", json: registration, authorization: .header("Bearer \(join)"), expect: 200)
        try await send("PUT", "/v1/hosts/joined-1", json: registration, authorization: .header("Bearer \(join)"), expect: 200)
        try await send(
            "PUT", "/v1/hosts/joined-1", json: registration, authorization: .header("Bearer \(otherJoin)"), expect: 409, code: "host_taken")
        try await send(
            "PUT", "/v1/hosts/host-1", json: registration, authorization: .header("Bearer \(join)"), expect: 409, code: "host_taken")
        try await send("PUT", "/v1/hosts/joined-1", json: registration, expect: 200)
    }

    mutating func certificatesAndTheRouteTable() async throws {
        let (certificate, key) = try await TestCertificates.make(domains: ["www.example.com"], in: platform.dataDirectory)
        let (_, otherKey) = try await TestCertificates.make(domains: ["other.example.com"], in: platform.dataDirectory)
        func body(_ certificate: String, _ key: String) throws -> String {
            String(decoding: try JSONEncoder().encode(["certificate_pem": certificate, "private_key_pem": key]), as: UTF8.self)
        }
        // A certificate only for names the app owns: not before the domain is added, never for another app's.
        try await send("POST", "/v1/apps/myapp/certs", json: try body(certificate, key), expect: 422, code: "certificate_domains_not_owned")
        try await send("POST", "/v1/apps/myapp/domains", json: #"{"hostname":"www.example.com"}"#, expect: 201)
        let added = try await send("POST", "/v1/apps/myapp/certs", json: try body(certificate, key), expect: 201)
        try await send("POST", "/v1/apps/lonely/certs", json: try body(certificate, key), expect: 422, code: "certificate_domains_not_owned")
        try await send("POST", "/v1/apps/myapp/certs", json: try body("garbage", key), expect: 422, code: "invalid_certificate")
        try await send("POST", "/v1/apps/myapp/certs", json: try body(certificate, otherKey), expect: 422, code: "invalid_certificate")
        let listed = try await send("GET", "/v1/apps/myapp/certs", expect: 200)
        if case .array(let list) = listed { #expect(list.count == 1) }
        let table = try await send("GET", "/v1/router/table", expect: 200)
        if case .object(let fields) = table, case .array(let certificates) = fields["certificates"] {
            #expect(certificates.count == 1)
        }
        guard case .object(let fields) = added, case .string(let name) = fields["name"] else {
            Issue.record("no certificate name in \(String(describing: added))")
            return
        }
        try await send("DELETE", "/v1/apps/myapp/certs/\(name)", expect: 204)
        try await send("DELETE", "/v1/apps/myapp/certs/\(name)", expect: 404, code: "certificate_not_found")
        try await send("PATCH", "/v1/apps/myapp", json: #"{"redirect_https":true}"#, expect: 200)
        try await send("POST", "/v1/router/logs", json: #"[{"app":"myapp","text":"at=info method=GET path=\"/\" status=200"}]"#, expect: 204)
        try await send("POST", "/v1/router/logs", json: #"{"app":"myapp"}"#, expect: 400, code: "bad_request")
    }

    mutating func domains() async throws {
        try await send("GET", "/v1/apps/myapp/domains", expect: 200)
        try await send("POST", "/v1/apps/myapp/domains", json: #"{"hostname":"www.example.com"}"#, expect: 201)
        try await send("POST", "/v1/apps/myapp/domains", json: #"{"hostname":"*.Example.org"}"#, expect: 201)
        try await send("POST", "/v1/apps/lonely/domains", json: #"{"hostname":"www.example.com"}"#, expect: 409, code: "domain_taken")
        try await send("POST", "/v1/apps/myapp/domains", json: #"{"hostname":"not a domain"}"#, expect: 422, code: "invalid_domain")
        try await send("POST", "/v1/apps/myapp/domains", json: "{}", expect: 400, code: "bad_request")
        let listed = try await send("GET", "/v1/apps/myapp/domains", expect: 200)
        if case .array(let list) = listed { #expect(list.count == 2) }
        try await send("DELETE", "/v1/apps/myapp/domains/WWW.example.com", expect: 204)
        try await send("DELETE", "/v1/apps/myapp/domains/www.example.com", expect: 404, code: "domain_not_found")
    }

    mutating func network() async throws {
        #expect(try await send("GET", "/v1/apps/myapp/network", expect: 200)?["reaches"] == .array([]))
        let allowed = try await send("PUT", "/v1/apps/myapp/network/reaches/lonely", expect: 200)
        #expect(allowed?["reaches"] == .array([.string("lonely")]))
        try await send("PUT", "/v1/apps/myapp/network/reaches/myapp", expect: 422, code: "invalid_network_link")
        try await send("DELETE", "/v1/apps/myapp/network/reaches/myapp", expect: 422, code: "invalid_network_link")
        try await send("DELETE", "/v1/apps/myapp/network/reaches/lonely", expect: 200)
        try await send("DELETE", "/v1/apps/myapp/network/reaches/lonely", expect: 404, code: "network_link_not_found")
    }

    /// Add-ons on the platform's own MariaDB and Redis; its PostgreSQL is kept from starting.
    mutating func addons() async throws {
        let none = try await send("GET", "/v1/apps/myapp/addons", expect: 200)
        #expect(none == .array([]))
        let added = try await send("POST", "/v1/apps/myapp/addons", json: #"{"kind":"mysql","name":"mysql-conform"}"#, expect: 201)
        #expect(added?["config_vars"] == .array([.string("DATABASE_URL"), .string("MYSQL_URL")]))
        try await send("POST", "/v1/apps/myapp/addons", json: #"{"kind":"redis"}"#, expect: 201)
        try await send("POST", "/v1/apps/lonely/addons", json: #"{"kind":"mysql","name":"mysql-conform"}"#, expect: 409, code: "addon_already_exists")
        try await send("POST", "/v1/apps/myapp/addons", json: #"{"kind":"oracle"}"#, expect: 422, code: "unknown_addon_kind")
        try await send("POST", "/v1/apps/myapp/addons", json: #"{"kind":"mysql","name":"No_Good"}"#, expect: 422, code: "invalid_addon_name")
        try await send("POST", "/v1/apps/myapp/addons", json: #"{"name":"mysql-x"}"#, expect: 400, code: "bad_request")
        try FileManager.default.createDirectory(atPath: platform.dataDirectory + "/addons", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: platform.dataDirectory + "/addons/postgresql"))
        try await send("POST", "/v1/apps/myapp/addons", json: #"{"kind":"postgresql"}"#, expect: 503, code: "addon_server_unavailable")

        let listed = try await send("GET", "/v1/apps/myapp/addons", expect: 200)
        if case .array(let list) = listed { #expect(list.count == 2) }
        try await send("GET", "/v1/apps/myapp/addons/mysql-conform", expect: 200)
        try await send("GET", "/v1/apps/myapp/addons/mysql-ghost", expect: 404, code: "addon_not_found")
        try await send("GET", "/v1/apps/myapp/addons/mysql-conform/backups", expect: 200)
        try await send("POST", "/v1/apps/myapp/addons/mysql-conform/backups", expect: 201)
        try await send("GET", "/v1/apps/myapp/addons/mysql-ghost/backups", expect: 404, code: "addon_not_found")
        try await send("POST", "/v1/apps/myapp/addons/mysql-ghost/backups", expect: 404, code: "addon_not_found")
        try await send("POST", "/v1/apps/myapp/addons/mysql-conform/backups/1/restore", expect: 200)
        try await send("POST", "/v1/apps/myapp/addons/mysql-conform/backups/9/restore", expect: 404, code: "backup_not_found")
        try await send("POST", "/v1/apps/myapp/addons/mysql-conform/backups/abc/restore", expect: 422, code: "invalid_request")
        try await send("DELETE", "/v1/apps/myapp/addons/mysql-conform", expect: 204)
        try await send("DELETE", "/v1/apps/myapp/addons/mysql-conform", expect: 404, code: "addon_not_found")
    }

    mutating func events() async throws {
        let events = try await send("GET", "/v1/apps/myapp/events", expect: 200)
        if case .array(let list) = events { #expect(list.count > 5) }
    }

    /// Builds come from pushes; here one is recorded straight in the store.
    mutating func builds() async throws {
        let none = try await send("GET", "/v1/apps/myapp/builds", expect: 200)
        #expect(none == .array([]))
        try await platform.withStore { store in
            let app = try await store.requireApp(named: "myapp")
            let build = try await store.startBuild(of: app, commit: String(repeating: "1a", count: 20), actor: "admin")
            try await store.finishBuild(
                build, status: .failed, failureReason: "no buildpack detected", output: "-----> Detecting\n !     none\n",
                buildpacks: [], slugID: nil, releaseVersion: nil)
        }
        let listed = try await send("GET", "/v1/apps/myapp/builds", expect: 200)
        guard case .array(let list) = listed else {
            Issue.record("builds are not a list")
            return
        }
        #expect(list.count == 1)
        #expect(list.first?["output"] == nil, "listings leave the output out")
        let one = try await send("GET", "/v1/apps/myapp/builds/1", expect: 200)
        #expect(one?["output"] == .string("-----> Detecting\n !     none\n"))
        #expect(one?["failure_reason"] == .string("no buildpack detected"))
        try await send("GET", "/v1/apps/myapp/builds/2", expect: 404, code: "build_not_found")
        try await send("GET", "/v1/apps/myapp/builds/abc", expect: 422, code: "invalid_request")
    }

    /// This test platform runs no apps: the list is empty.
    mutating func processes() async throws {
        let list = try await send("GET", "/v1/apps/myapp/processes", expect: 200)
        #expect(list == .array([]))
        try await send("GET", "/v1/apps/myapp/logs", expect: 200)
        try await send("POST", "/v1/apps/myapp/processes/restart", expect: 202)
        try await send("POST", "/v1/apps/myapp/processes/restart", json: #"{"type":"web"}"#, expect: 202)
        try await send("POST", "/v1/apps/myapp/processes/restart", json: #"{"type":"no good"}"#, expect: 422, code: "invalid_request")
        try await send("POST", "/v1/apps/myapp/runs", json: #"{"command":[]}"#, expect: 422, code: "invalid_request")
        try await send("POST", "/v1/apps/myapp/runs", json: #"{"command":["echo hi"]}"#, expect: 422, code: "no_runner")
        let interactive = "/v1/apps/myapp/runs/interactive"
        try await send("POST", interactive, body: Self.startFrame(#"{"command":[]}"#), expect: 422, code: "invalid_request")
        try await send(
            "POST", interactive, body: Self.startFrame(#"{"command":["sh"],"terminal":{"rows":0,"columns":80}}"#), expect: 422,
            code: "invalid_request")
        try await send(
            "POST", interactive, body: Self.startFrame(#"{"command":["sh"],"terminal":{"rows":40,"columns":120}}"#), expect: 422,
            code: "no_runner")
    }

    /// The start frame of an interactive run with `json`, which must fit its schema.
    static func startFrame(_ json: String) -> [UInt8] {
        RunFrame.start(Array(json.utf8)).encoded
    }

    /// The platform's own blob store, served to runners.
    mutating func blobs() async throws {
        let file = platform.dataDirectory + "/blob-source"
        try Data("slug bytes".utf8).write(to: URL(fileURLWithPath: file))
        let id = try await FilesystemBlobStore(root: platform.dataDirectory + "/blobs").store(fileAt: file)
        try await send("GET", "/v1/blobs/\(id.sha256)", expect: 200)
        let raw = try await platform.request("GET", "/v1/blobs/\(id.sha256)")
        #expect(raw.text == "slug bytes")
        try await send("GET", "/v1/blobs/" + String(repeating: "0", count: 64), expect: 404, code: "blob_not_found")
        try await send("GET", "/v1/blobs/not-a-sha", expect: 400, code: "invalid_blob_id")
    }

    mutating func destroyingApps() async throws {
        try await send("DELETE", "/v1/apps/lonely", expect: 204)
        try await send("GET", "/v1/apps/lonely", expect: 404, code: "app_not_found")
        try await send("DELETE", "/v1/apps/lonely", expect: 404, code: "app_not_found")
    }

    /// What the document does not list answers 404 `not_found` in the error envelope.
    mutating func undocumentedEndpointsAreNotFound() async throws {
        for (method, path) in [("GET", "/v1/nope"), ("GET", "/nope"), ("PUT", "/v1/apps/myapp"), ("POST", "/healthz")] {
            #expect(spec.operation(method: method, path: path) == nil)
            let response = try await platform.request(method, path)
            #expect(response.status == 404, "\(method) \(path) answered \(response.status): \(response.text)")
            checkContentType(of: response, "\(method) \(path)")
            let body = try JSONValue.parse(response.body)
            let problems = spec.validator.problems(with: body, against: ["$ref": "#/components/schemas/Error"])
            #expect(problems.isEmpty, "\(method) \(path): \(problems)")
            #expect(body["error"]?["code"] == .string("not_found"))
        }
    }

    // MARK: - Checking one exchange

    /// Sends a request, checks the answer against the document and returns its JSON body (nil for none).
    @discardableResult
    mutating func send(
        _ method: String, _ path: String, json: String? = nil, body rawBody: [UInt8]? = nil, authorization: TestAuthorization = .admin,
        expect expectedStatus: Int, code expectedCode: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue? {
        let exchange = "\(method) \(path)"
        let operation = try #require(
            spec.operation(method: method, path: path), "\(exchange) is not in openapi.yaml", sourceLocation: sourceLocation)
        let response = try await platform.request(method, path, json: json, body: rawBody, authorization: authorization)
        #expect(
            response.status == expectedStatus, "\(exchange) answered \(response.status): \(response.text.prefix(300))",
            sourceLocation: sourceLocation)
        seen[operation, default: []].insert(String(response.status))

        guard let documented = spec.response(of: operation, status: response.status) else {
            Issue.record("\(exchange) answered \(response.status), which \(operation) does not document", sourceLocation: sourceLocation)
            return nil
        }
        for header in (documented["headers"] as? [String: Any] ?? [:]).keys {
            #expect(response.header(header) != nil, "\(exchange) answered without the documented \(header) header", sourceLocation: sourceLocation)
        }
        if let content = documented["content"] as? [String: Any], content["application/json"] == nil, let mediaType = content.keys.first {
            let answered = response.header("Content-Type")?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(answered == mediaType, "\(exchange) answered with Content-Type \(answered ?? "(none)")", sourceLocation: sourceLocation)
            return nil
        }
        guard let schema = OpenAPISpec.jsonSchema(of: documented) else {
            #expect(response.body.isEmpty, "\(exchange) documents no body for \(response.status) but sent \(response.text)", sourceLocation: sourceLocation)
            return nil
        }
        checkContentType(of: response, exchange, sourceLocation: sourceLocation)
        let body: JSONValue
        do {
            body = try JSONValue.parse(response.body)
        } catch {
            Issue.record("\(exchange) answered \(response.status) with a body that is not JSON: \(response.text.prefix(300))", sourceLocation: sourceLocation)
            return nil
        }
        let problems = spec.validator.problems(with: body, against: schema)
        #expect(problems.isEmpty, "\(exchange) → \(response.status) breaks its schema:\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)

        if let codes = documented["x-error-codes"] as? [String] {
            let code = body["error"]?["code"]?.stringValue ?? "(none)"
            #expect(codes.contains(code), "\(exchange) → \(response.status) has code \(code), documented: \(codes)", sourceLocation: sourceLocation)
        }
        if let expectedCode {
            #expect(body["error"]?["code"]?.stringValue == expectedCode, "\(exchange): \(response.text.prefix(300))", sourceLocation: sourceLocation)
        }
        // What the server accepted must be what the document describes as a valid request.
        if (200..<300).contains(response.status), let json,
            let requestSchema = spec.requestBody(of: operation).flatMap(OpenAPISpec.jsonSchema(of:))
        {
            let requestProblems = spec.validator.problems(with: try JSONValue.parse(json), against: requestSchema)
            #expect(requestProblems.isEmpty, "\(exchange) accepted a body its schema refuses: \(requestProblems)", sourceLocation: sourceLocation)
        }
        return body
    }

    private func checkContentType(of response: RawResponse, _ exchange: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mediaType = response.header("Content-Type")?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(mediaType == "application/json", "\(exchange) answered with Content-Type \(mediaType ?? "(none)")", sourceLocation: sourceLocation)
    }

    /// A concrete path for a templated one.
    private func concrete(_ template: String, app: String = "myapp") -> String {
        template
            .replacingOccurrences(of: "{app}", with: app)
            .replacingOccurrences(of: "{version}", with: "1")
            .replacingOccurrences(of: "{hostname}", with: "www.example.com")
            .replacingOccurrences(of: "{number}", with: "1")
            .replacingOccurrences(of: "{type}", with: "web")
            .replacingOccurrences(of: "{name}", with: "host-1")
            .replacingOccurrences(of: "{addon}", with: "mysql-conform")
            .replacingOccurrences(of: "{id}", with: String(repeating: "0", count: 64))
    }
}
