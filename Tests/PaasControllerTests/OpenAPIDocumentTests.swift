// Checks of `openapi.yaml` and of the validator that need no server: the document is complete and
// consistent, the validator refuses what it must (so one that accepts everything is caught), and
// the Swift wire types encode to what the document promises, including the optional fields the
// running server rarely leaves out.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.small)) struct OpenAPIDocumentTests {
    @Test func documentIsCompleteAndEveryReferenceResolves() throws {
        let spec = try OpenAPISpec.load()
        #expect(spec.document["openapi"] as? String == "3.0.3")
        let security = spec.document["security"] as? [[String: Any]]
        #expect(security?.first?["bearerAuth"] != nil, "bearer tokens apply to every operation by default")

        var operationIDs: Set<String> = []
        for operation in spec.operations {
            let object = spec.object(of: operation)
            let id = try #require(object["operationId"] as? String, "\(operation) has no operationId")
            #expect(operationIDs.insert(id).inserted, "operationId \(id) is used twice")
            #expect((object["summary"] as? String)?.isEmpty == false, "\(operation) has no summary")
            #expect((object["description"] as? String)?.isEmpty == false, "\(operation) has no description")
            let statuses = spec.statuses(of: operation)
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(operation) documents no success")
            for status in statuses {
                let response = try #require(spec.response(of: operation, status: Int(status) ?? 0), "\(operation) \(status)")
                #expect((response["description"] as? String)?.isEmpty == false, "\(operation) \(status) has no description")
                if !status.hasPrefix("2") {
                    #expect(
                        OpenAPISpec.jsonSchema(of: response)?["$ref"] as? String == "#/components/schemas/Error",
                        "\(operation) \(status) must answer with the error envelope")
                    #expect(response["x-error-codes"] is [String], "\(operation) \(status) names no x-error-codes")
                }
            }
            if operation.path.hasPrefix("/v1/") {
                #expect(statuses.isSuperset(of: ["401", "500"]), "\(operation) needs a token, so it can answer 401 and 500")
            }
            let templated = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            #expect(Set(templated) == Set(parameterNames(of: operation, in: spec)), "\(operation) documents other parameters than its path has")
        }
        let health = spec.object(of: .init(path: "/healthz", method: "GET"))
        #expect((health["security"] as? [Any])?.isEmpty == true, "/healthz needs no token")

        var unresolved: [String] = []
        forEachReference(in: spec.document) { reference in
            if spec.validator.resolve(reference) == nil { unresolved.append(reference) }
        }
        #expect(unresolved.isEmpty, "references that resolve to nothing: \(unresolved)")
    }

    @Test func pathsMatchTheirTemplates() throws {
        let spec = try OpenAPISpec.load()
        #expect(spec.operation(method: "GET", path: "/v1/apps/myapp/releases/v3")?.path == "/v1/apps/{app}/releases/{version}")
        #expect(spec.operation(method: "POST", path: "/v1/apps")?.path == "/v1/apps")
        #expect(spec.operation(method: "GET", path: "/v1/apps?x=1")?.path == "/v1/apps")
        #expect(spec.operation(method: "DELETE", path: "/v1/apps/a1/domains/www.example.com")?.path == "/v1/apps/{app}/domains/{hostname}")
        #expect(spec.operation(method: "PUT", path: "/v1/apps/myapp") == nil)
        #expect(spec.operation(method: "GET", path: "/v1/apps/myapp/nope") == nil)
        #expect(spec.operation(method: "GET", path: "/v1/apps//config-vars") == nil)
    }

    /// Documents that must fail, with the words the problem must contain.
    static let refused: [(schema: String, json: String, problem: String)] = [
        ("App", #"{"id":"0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11","name":"myapp","created_at":"2026-01-31T12:00:00Z","web_url":"http://myapp.localhost:8080/"}"#, "required property 'git_url'"),
        ("App", app(#""current_release":"1""#), "expected integer"),
        ("App", app(#""current_release":1.5"#), "expected integer"),
        ("App", app(#""current_release":true"#), "expected integer"),
        ("App", app(#""current_release":0"#), "minimum"),
        ("App", app(#""owner":"bob""#), "not in the schema"),
        ("App", #"{"id":"0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11","name":"My_App","created_at":"2026-01-31T12:00:00Z","web_url":"http://x/","git_url":"http://x/a.git"}"#, "does not match"),
        ("App", #"{"id":"not-a-uuid","name":"myapp","created_at":"2026-01-31T12:00:00Z","web_url":"http://x/","git_url":"http://x/a.git"}"#, "is not a uuid"),
        ("App", #"{"id":"0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11","name":"myapp","created_at":"yesterday","web_url":"http://x/","git_url":"http://x/a.git"}"#, "is not a date-time"),
        ("App", "[]", "expected object"),
        ("Release", release(#""status":"done""#), "is not one of"),
        ("Release", release(#""status":"succeeded","slug_id":null"#), "not nullable"),
        ("ConfigVars", #"{"FOO":1}"#, "expected string"),
        ("ConfigVars", #"{"FOO":null}"#, "not nullable"),
        ("ConfigVarsUpdate", "{}", "fewer than 1"),
        ("FormationEntry", #"{"type":"web","quantity":101}"#, "maximum"),
        ("Error", #"{"error":{"code":"app_not_found","message":"No app.","retryable":"no"}}"#, "expected boolean"),
        ("Error", #"{"error":{"code":"App Not Found","message":"No app.","retryable":false}}"#, "does not match"),
        ("Error", #"{"code":"app_not_found","message":"No app.","retryable":false}"#, "required property 'error'"),
        ("Missing", "{}", "cannot resolve"),
    ]

    @Test(arguments: refused)
    func validatorRefusesDocumentsThatBreakTheSchema(schema: String, json: String, problem: String) throws {
        let spec = try OpenAPISpec.load()
        let problems = spec.validator.problems(with: try JSONValue.parse(json), against: ["$ref": "#/components/schemas/\(schema)"])
        #expect(problems.contains { $0.contains(problem) }, "expected a problem with '\(problem)', got \(problems)")
    }

    @Test func validatorChecksEveryItemOfAnArray() throws {
        let spec = try OpenAPISpec.load()
        let schema: [String: Any] = ["type": "array", "items": ["$ref": "#/components/schemas/Domain"]]
        let good = #"{"hostname":"a.example.com","created_at":"2026-01-31T12:00:00Z"}"#
        #expect(spec.validator.problems(with: try JSONValue.parse("[\(good),\(good)]"), against: schema).isEmpty)
        let problems = spec.validator.problems(with: try JSONValue.parse(#"[\#(good),{"hostname":"b.example.com"}]"#), against: schema)
        #expect(problems == ["$[1]: required property 'created_at' is missing"])
    }

    @Test func validatorRefusesSchemaKeywordsItDoesNotKnow() throws {
        let validator = OpenAPIValidator(document: [:])
        let problems = validator.problems(with: .string("x"), against: ["type": "string", "oneOf": [Any]()])
        #expect(problems.contains { $0.contains("'oneOf'") })
    }

    @Test func validatorAcceptsConformingDocuments() throws {
        let spec = try OpenAPISpec.load()
        let accepted: [(String, String)] = [
            ("App", Self.app(#""current_release":3"#)),
            ("App", Self.app("")),
            ("Release", Self.release(#""status":"failed","status_reason":"Build failed","slug_id":"abc""#)),
            ("ConfigVarsUpdate", #"{"FOO":"bar","OLD":null}"#),
            ("RollbackRequest", #"{"version":null}"#),
            ("RollbackRequest", "{}"),
            ("FormationUpdate", #"{"web":2,"worker":0}"#),
            ("Error", #"{"error":{"code":"app_not_found","message":"No app.","retryable":false}}"#),
        ]
        for (schema, json) in accepted {
            let problems = spec.validator.problems(with: try JSONValue.parse(json), against: ["$ref": "#/components/schemas/\(schema)"])
            #expect(problems.isEmpty, "\(schema) \(json): \(problems)")
        }
    }

    @Test func wireTypesEncodeToTheDocumentedSchemas() throws {
        let spec = try OpenAPISpec.load()
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let id = "0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11"
        let encoder = APICoding.makeEncoder()
        let samples: [(String, any Encodable)] = [
            ("Health", HealthResource(status: "ok")),
            ("Account", AccountResource(name: "admin")),
            ("App", AppResource(id: id, name: "myapp", createdAt: date, webURL: "http://myapp.localhost:8080/", gitURL: "http://127.0.0.1:5100/myapp.git", currentRelease: nil)),
            ("App", AppResource(id: id, name: "myapp", createdAt: date, webURL: "http://myapp.localhost:8080/", gitURL: "http://127.0.0.1:5100/myapp.git", currentRelease: 2)),
            ("Release", ReleaseResource(
                id: id, version: 1, description: "Initial release", slugID: nil, processTypes: [:], config: [:],
                status: "succeeded", statusReason: nil, createdBy: "admin", createdAt: date, current: true)),
            ("Release", ReleaseResource(
                id: id, version: 2, description: "Deploy 1a2b3c4", slugID: "ab", processTypes: ["web": "npm start"],
                config: ["FOO": "bar"], status: "failed", statusReason: "web crashed", createdBy: "admin", createdAt: date, current: false)),
            ("FormationEntry", FormationResource(type: "web", quantity: 1, command: nil)),
            ("FormationEntry", FormationResource(type: "web", quantity: 1, command: "npm start")),
            ("Domain", DomainResource(hostname: "www.example.com", createdAt: date)),
            ("Addon", AddonResource(name: "mysql-shapely-12345", kind: "mysql", app: "myapp", configVars: ["MYSQL_URL"], createdAt: date)),
            ("Addon", AddonResource(
                name: "mysql-shapely-12345", kind: "mysql", app: "myapp", configVars: ["DATABASE_URL", "MYSQL_URL"], createdAt: date, release: 3)),
            ("AddonCreateRequest", AddonCreateRequest(kind: "mysql", name: nil)),
            ("AddonBackup", AddonBackupResource(number: 1, addon: "mysql-shapely-12345", size: 2048, createdAt: date)),
            ("Event", EventResource(id: 1, actor: "admin", action: "app.create", description: "Created app myapp", createdAt: date)),
            ("Build", BuildResource(
                id: id, number: 1, commit: "1a2b3c4d", status: "pending", failureReason: nil, buildpacks: [], slugID: nil,
                releaseVersion: nil, createdBy: "admin", createdAt: date, finishedAt: nil, output: nil)),
            ("Build", BuildResource(
                id: id, number: 2, commit: "1a2b3c4d", status: "succeeded", failureReason: nil, buildpacks: ["python"],
                slugID: "ab", releaseVersion: 3, createdBy: "admin", createdAt: date, finishedAt: date, output: "-----> ok\n")),
            ("Process", ProcessResource(
                id: "myapp.v3.web.1", app: "myapp", release: 3, type: "web", index: 1, state: "up", since: date, restarts: 0,
                lastExit: nil, ip: "10.213.0.2")),
            ("Process", ProcessResource(
                id: "myapp.v3.web.1", app: "myapp", release: 3, type: "web", index: 1, state: "crashed", since: date, restarts: 2,
                lastExit: "out of memory", ip: nil)),
            ("RunRequest", RunRequest(command: ["rake", "db:migrate"], env: ["DEBUG": "1"])),
            ("RunRequest", RunRequest(command: ["echo $PORT"])),
            ("RunExit", RunExit(status: 137, reason: "out of memory")),
            ("Error", APIErrorEnvelope(error: APIErrorBody(code: "app_not_found", message: "No app named 'x'."))),
            ("AppCreateRequest", AppCreateRequest(name: "myapp")),
            ("AppCreateRequest", AppCreateRequest(name: nil)),
            ("RollbackRequest", RollbackRequest(version: 3)),
            ("DomainCreateRequest", DomainCreateRequest(hostname: "www.example.com")),
            ("ConfigVarsUpdate", ["FOO": "bar", "OLD": nil] as ConfigVarsUpdate),
            ("FormationUpdate", ["web": 2] as FormationUpdate),
        ]
        for (schema, sample) in samples {
            let json = try JSONValue.parse(try encoder.encode(sample))
            let problems = spec.validator.problems(with: json, against: ["$ref": "#/components/schemas/\(schema)"])
            #expect(problems.isEmpty, "\(type(of: sample)) → \(json): \(problems)")
        }
    }

    // MARK: - Helpers

    private static func app(_ extra: String) -> String {
        let base = #""id":"0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11","name":"myapp","created_at":"2026-01-31T12:00:00Z","web_url":"http://myapp.localhost:8080/","git_url":"http://127.0.0.1:5100/myapp.git","stack":"bookworm""#
        return extra.isEmpty ? "{\(base)}" : "{\(base),\(extra)}"
    }

    private static func release(_ extra: String) -> String {
        #"{"id":"0b3c0e3a-8f0e-4d5e-9a59-0e6d8b9b1c11","version":1,"description":"Initial release","process_types":{},"config":{},"created_by":"admin","created_at":"2026-01-31T12:00:00Z","current":true,\#(extra)}"#
    }

    private func parameterNames(of operation: OpenAPISpec.Operation, in spec: OpenAPISpec) -> [String] {
        let item = (spec.document["paths"] as? [String: Any])?[operation.path] as? [String: Any] ?? [:]
        let parameters = (item["parameters"] as? [Any] ?? []) + (spec.object(of: operation)["parameters"] as? [Any] ?? [])
        return parameters.compactMap { parameter in
            guard let object = (parameter as? [String: Any]).flatMap(spec.validator.dereference), object["in"] as? String == "path" else {
                return nil
            }
            return object["name"] as? String
        }
    }

    private func forEachReference(in node: Any, _ body: (String) -> Void) {
        if let object = node as? [String: Any] {
            for (key, value) in object {
                if key == "$ref", let reference = value as? String { body(reference) } else { forEachReference(in: value, body) }
            }
        } else if let array = node as? [Any] {
            for value in array { forEachReference(in: value, body) }
        }
    }
}
