import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.medium)) struct FormationAPITests {
    @Test func scaleBeforeAndAfterTheFirstSlug() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "web")
            #expect(try await client.formation(app: "web").isEmpty)
            #expect(try await client.scale(app: "web", ["web": 2]) == [FormationResource(type: "web", quantity: 2, command: nil)])

            try await platform.withStore { store in
                let app = try await store.requireApp(named: "web")
                _ = try await store.recordSucceededDeploy(app, slugID: "s", processTypes: ["web": "serve", "worker": "work"], commit: "c0ffee00", actor: "admin")
            }
            #expect(try await client.formation(app: "web") == [
                FormationResource(type: "web", quantity: 2, command: "serve"),
                FormationResource(type: "worker", quantity: 0, command: "work"),
            ])
            let scaled = try await client.scale(app: "web", ["worker": 3])
            #expect(scaled.map(\.quantity) == [2, 3])

            let unknown = await #expect(throws: ClientError.self) { try await client.scale(app: "web", ["wrker": 1]) }
            #expect(unknown?.apiStatus == 422)
            #expect(unknown?.description.contains("no process type 'wrker'") == true)
            for body in [#"{"web": -1}"#, #"{"web": 1000}"#, "{}"] {
                let response = try await platform.request("PATCH", "/v1/apps/web/formation", json: body)
                #expect(response.status == 422, "\(body)")
            }
            let malformed = try await platform.request("PATCH", "/v1/apps/web/formation", json: #"{"web": "two"}"#)
            #expect(malformed.status == 400)
            #expect(try await client.formation(app: "web").map(\.quantity) == [2, 3], "refused scales change nothing")
        }
    }
}

@Suite(.tags(.medium)) struct DomainsAPITests {
    @Test func addListRemove() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "site")
            _ = try await client.createApp(name: "other")
            #expect(try await client.addDomain(app: "site", hostname: "WWW.Example.com").hostname == "www.example.com")
            _ = try await client.addDomain(app: "site", hostname: "*.example.org")
            #expect(try await client.domains(app: "site").map(\.hostname) == ["*.example.org", "www.example.com"])

            let taken = await #expect(throws: ClientError.self) { try await client.addDomain(app: "other", hostname: "www.example.com") }
            #expect(taken?.apiStatus == 409)
            #expect(taken?.apiCode == "domain_taken")
            for invalid in ["localhost", "bad host.com", "-x.com", "a..b"] {
                let error = await #expect(throws: ClientError.self) { try await client.addDomain(app: "site", hostname: invalid) }
                #expect(error?.apiCode == "invalid_domain", "\(invalid)")
            }

            try await client.removeDomain(app: "site", hostname: "www.example.com")
            #expect(try await client.domains(app: "site").map(\.hostname) == ["*.example.org"])
            let gone = await #expect(throws: ClientError.self) { try await client.removeDomain(app: "site", hostname: "www.example.com") }
            #expect(gone?.apiStatus == 404)
            // Freed by removal, the name can go to another app.
            _ = try await client.addDomain(app: "other", hostname: "www.example.com")
        }
    }

    @Test func destroyingAnAppFreesItsDomains() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "first")
            _ = try await client.addDomain(app: "first", hostname: "shop.example.com")
            try await client.destroyApp("first")
            _ = try await client.createApp(name: "second")
            #expect(try await client.addDomain(app: "second", hostname: "shop.example.com").hostname == "shop.example.com")
        }
    }
}

@Suite(.tags(.medium)) struct EventsAPITests {
    @Test func everyChangeIsAuditedWithoutSecrets() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "audited")
            _ = try await client.updateConfig(app: "audited", ["SECRET_KEY": "hunter2-very-secret"])
            _ = try await client.scale(app: "audited", ["web": 2])
            _ = try await client.addDomain(app: "audited", hostname: "a.example.com")
            try await client.removeDomain(app: "audited", hostname: "a.example.com")

            let events = try await client.events(app: "audited")
            #expect(events.map(\.action) == ["domain.remove", "domain.add", "formation.scale", "config.set", "app.create"])
            #expect(events.allSatisfy { $0.actor == "admin" })
            #expect(events.map(\.id) == events.map(\.id).sorted(by: >))
            #expect(events[3].description == "Set SECRET_KEY config var (v2)")
            let raw = try await platform.request("GET", "/v1/apps/audited/events")
            #expect(!raw.text.contains("hunter2"))
        }
    }
}
