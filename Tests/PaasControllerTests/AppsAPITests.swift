import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.medium)) struct AppsAPITests {
    @Test func healthNeedsNoToken() async throws {
        try await TestPlatform.withRunning { platform in
            let response = try await platform.request("GET", "/healthz", authorization: .none)
            #expect(response.status == 200)
            #expect(response.text == #"{"status":"ok"}"#)
        }
    }

    @Test func everythingUnderV1NeedsAValidToken() async throws {
        try await TestPlatform.withRunning { platform in
            let missing = try await platform.request("GET", "/v1/apps", authorization: .none)
            #expect(missing.status == 401)
            #expect(missing.text.contains(#""code":"unauthorized""#))
            #expect(missing.text.contains("paas login"))
            #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)

            let wrong = try await platform.request("POST", "/v1/apps", json: #"{"name":"sneaky"}"#, authorization: .header("Bearer paas_nope"))
            #expect(wrong.status == 401)
            #expect(wrong.text.contains(#""code":"invalid_token""#))
            let basic = try await platform.request("GET", "/v1/apps", authorization: .header("Basic YTpi"))
            #expect(basic.status == 401)
            #expect(try await platform.client.apps().isEmpty, "a refused request must not create anything")
        }
    }

    @Test func createListInfoAndDestroy() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            let created = try await client.createApp(name: "myapp")
            #expect(created.name == "myapp")
            #expect(created.currentRelease == 1)
            #expect(created.webURL == "http://myapp.localhost:8080/")
            #expect(created.gitURL == platform.apiURL + "/myapp.git")
            _ = try await client.createApp(name: "another")

            #expect(try await client.apps().map(\.name) == ["another", "myapp"])
            #expect(try await client.app("myapp") == created)

            try await client.destroyApp("myapp")
            #expect(try await client.apps().map(\.name) == ["another"])
            let error = await #expect(throws: ClientError.self) { try await client.app("myapp") }
            #expect(error?.apiCode == "app_not_found")
        }
    }

    @Test func createWithoutANamePicksAReadableOne() async throws {
        try await TestPlatform.withRunning { platform in
            let app = try await platform.client.createApp(name: nil)
            #expect(app.name.wholeMatch(of: /[a-z]+-[a-z]+-[0-9]{4}/) != nil)
            let empty = try await platform.request("POST", "/v1/apps")
            #expect(empty.status == 201)
        }
    }

    @Test(arguments: ["A", "Bad", "1abc", "my_app", "x", String(repeating: "a", count: 31), "-dash"])
    func invalidNamesAreRefusedWithTheRule(_ name: String) async throws {
        try await TestPlatform.withRunning { platform in
            let error = await #expect(throws: ClientError.self) { try await platform.client.createApp(name: name) }
            #expect(error?.apiStatus == 422)
            #expect(error?.apiCode == "invalid_app_name")
            #expect(error?.description.contains("start with a lowercase letter") == true)
            let apps = try await platform.client.apps()
            #expect(apps.isEmpty)
        }
    }

    @Test func takenNamesAreRefused() async throws {
        try await TestPlatform.withRunning { platform in
            _ = try await platform.client.createApp(name: "taken")
            let error = await #expect(throws: ClientError.self) { try await platform.client.createApp(name: "taken") }
            #expect(error?.apiStatus == 409)
            #expect(error?.apiCode == "app_name_taken")
        }
    }

    @Test func unknownAppsAnswer404EverywhereWithAHint() async throws {
        try await TestPlatform.withRunning { platform in
            for (method, path) in [
                ("GET", "/v1/apps/ghost"), ("DELETE", "/v1/apps/ghost"), ("GET", "/v1/apps/ghost/config-vars"),
                ("GET", "/v1/apps/ghost/releases"), ("GET", "/v1/apps/ghost/formation"), ("GET", "/v1/apps/ghost/domains"),
                ("GET", "/v1/apps/ghost/events"), ("GET", "/v1/apps/INVALID/releases"),
            ] {
                let response = try await platform.request(method, path)
                #expect(response.status == 404, "\(method) \(path)")
                #expect(response.text.contains(#""code":"app_not_found""#), "\(method) \(path)")
                #expect(response.text.contains("paas apps"), "\(method) \(path)")
            }
        }
    }

    @Test func malformedAndOversizeBodiesGetClearErrors() async throws {
        try await TestPlatform.withRunning { platform in
            let malformed = try await platform.request("POST", "/v1/apps", json: #"{"name": "#)
            #expect(malformed.status == 400)
            #expect(malformed.text.contains(#""code":"bad_request""#))
            let wrongType = try await platform.request("POST", "/v1/apps", json: #"{"name": 12}"#)
            #expect(wrongType.status == 400)
            let huge = "{\"name\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
            let oversize = try await platform.request("POST", "/v1/apps", json: huge)
            #expect(oversize.status == 413)
            #expect(oversize.text.contains("1 MiB"))
            let unknown = try await platform.request("GET", "/v1/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.text.contains(#""code":"not_found""#))
            #expect(try await platform.client.apps().isEmpty)
        }
    }
}

extension ClientError {
    /// The server's error code, when the server answered with one.
    var apiCode: String? {
        if case .api(_, let body) = self { return body.code }
        return nil
    }

    /// The HTTP status, when the server answered with an error.
    var apiStatus: Int? {
        if case .api(let status, _) = self { return status }
        return nil
    }
}
