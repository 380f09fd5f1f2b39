import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.medium)) struct ConfigAndReleasesAPITests {
    @Test func configChangesEachMakeOneRelease() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "web")
            #expect(try await client.config(app: "web") == [:])

            let afterSet = try await client.updateConfig(app: "web", ["FOO": "bar", "GREETING": "hello = world"])
            #expect(afterSet == ["FOO": "bar", "GREETING": "hello = world"])
            let afterUnset = try await client.updateConfig(app: "web", ["FOO": nil, "NEW": "1"])
            #expect(afterUnset == ["GREETING": "hello = world", "NEW": "1"])
            #expect(try await client.config(app: "web") == afterUnset)

            let releases = try await client.releases(app: "web")
            #expect(releases.map(\.version) == [3, 2, 1])
            #expect(releases.map(\.description) == ["Set NEW and unset FOO config vars", "Set FOO, GREETING config vars", "Initial release"])
            #expect(releases.map(\.current) == [true, false, false])
            #expect(releases.allSatisfy { $0.createdBy == "admin" && $0.status == "succeeded" })
            #expect(releases[1].config == afterSet, "a release keeps the config it was made with")

            let v2 = try await client.release(app: "web", version: 2)
            #expect(v2 == releases[1])
            let byName = try await platform.request("GET", "/v1/apps/web/releases/v2")
            #expect(byName.status == 200)
        }
    }

    @Test func invalidConfigChangesAreRefusedAndChangeNothing() async throws {
        try await TestPlatform.withRunning { platform in
            _ = try await platform.client.createApp(name: "web")
            for (body, status, code) in [
                (#"{"BAD-NAME": "x"}"#, 422, "invalid_config_var"),
                (#"{"1X": "x"}"#, 422, "invalid_config_var"),
                ("{}", 422, "invalid_request"),
                (#"{"FOO": 1}"#, 400, "bad_request"),
                ("[1]", 400, "bad_request"),
            ] {
                let response = try await platform.request("PATCH", "/v1/apps/web/config-vars", json: body)
                #expect(response.status == status, "\(body)")
                #expect(response.text.contains(#""code":"\#(code)""#), "\(body)")
            }
            #expect(try await platform.client.releases(app: "web").count == 1)
        }
    }

    @Test func concurrentConfigChangesGetDistinctConsecutiveVersions() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "busy")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask { _ = try await client.updateConfig(app: "busy", ["VAR_\(index)": "\(index)"]) }
                }
                try await group.waitForAll()
            }
            let releases = try await client.releases(app: "busy")
            #expect(releases.map(\.version) == Array((1...25).reversed()))
            // Each change saw the one before it: the newest release holds every var.
            #expect(releases[0].config.count == 24)
        }
    }

    @Test func releaseLookupsValidateVersions() async throws {
        try await TestPlatform.withRunning { platform in
            _ = try await platform.client.createApp(name: "web")
            let missing = try await platform.request("GET", "/v1/apps/web/releases/9")
            #expect(missing.status == 404)
            #expect(missing.text.contains(#""code":"release_not_found""#))
            let garbage = try await platform.request("GET", "/v1/apps/web/releases/latest")
            #expect(garbage.status == 422)
        }
    }

    @Test func rollbackCopiesSlugAndConfigOfTheTargetIntoANewRelease() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            try await platform.withStore { store in
                let app = try await store.requireApp(named: "shop")
                _ = try await store.recordSucceededDeploy(app, slugID: "slug-a", processTypes: ["web": "old"], commit: "aaaaaaa111", actor: "admin")  // v2
            }
            _ = try await client.updateConfig(app: "shop", ["FOO": "one"])  // v3: slug-a + FOO
            try await platform.withStore { store in
                let app = try await store.requireApp(named: "shop")
                _ = try await store.recordSucceededDeploy(app, slugID: "slug-b", processTypes: ["web": "new"], commit: "bbbbbbb222", actor: "admin")  // v4
            }
            _ = try await client.updateConfig(app: "shop", ["FOO": "two"])  // v5: slug-b + FOO=two

            let previous = try await client.rollback(app: "shop", to: nil)
            #expect(previous.version == 6)
            #expect(previous.description == "Rollback to v4")
            #expect(previous.slugID == "slug-b")
            #expect(previous.config == ["FOO": "one"])
            #expect(previous.current)

            let toV2 = try await client.rollback(app: "shop", to: 2)
            #expect(toV2.version == 7)
            #expect(toV2.description == "Rollback to v2")
            #expect(toV2.slugID == "slug-a")
            #expect(toV2.processTypes == ["web": "old"])
            #expect(toV2.config == [:])
            #expect(try await client.config(app: "shop") == [:])
            #expect(try await client.app("shop").currentRelease == 7)
            // The releases rolled back from are untouched.
            #expect(try await client.release(app: "shop", version: 5).config == ["FOO": "two"])
        }
    }

    @Test func rollbackRefusesReleasesWithoutSlugAndUnknownVersions() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "fresh")
            let nothingEarlier = await #expect(throws: ClientError.self) { try await client.rollback(app: "fresh", to: nil) }
            #expect(nothingEarlier?.apiCode == "no_previous_release")

            _ = try await client.updateConfig(app: "fresh", ["A": "1"])
            let noSlug = await #expect(throws: ClientError.self) { try await client.rollback(app: "fresh", to: 1) }
            #expect(noSlug?.apiStatus == 422)
            #expect(noSlug?.apiCode == "release_has_no_slug")
            #expect(noSlug?.description.contains("git push paas main") == true)

            let unknown = await #expect(throws: ClientError.self) { try await client.rollback(app: "fresh", to: 42) }
            #expect(unknown?.apiStatus == 404)
            #expect(try await client.releases(app: "fresh").count == 2, "refused rollbacks create no release")
        }
    }
}
