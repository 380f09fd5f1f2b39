import PaasAPI
import PaasTesting
import Testing

/// `paas network`, `network:allow`, `network:deny` against a real controller and PostgreSQL.
@Suite(.tags(.medium))
struct NetworkCommandTests {
    @Test func allowListAndDenyALinkBetweenTwoApps() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("front")
            try await sandbox.createApp("api")
            let none = try await sandbox.paas("network", "-a", "front")
            #expect(none.status == 0, "\(none.stderr)")
            #expect(none.stdout.isEmpty)
            #expect(none.stderr.hasPrefix("front's processes reach only each other."), "\(none.stderr)")

            let allow = try await sandbox.paas("network:allow", "api", "-a", "front")
            #expect(allow.status == 0, "\(allow.stderr)")
            #expect(allow.stderr == "Letting front reach api... done\n")
            #expect(try await sandbox.paas("network:allow", "api", "-a", "front").status == 0, "allowing twice is fine")
            let list = try await sandbox.paas("network", "-a", "front")
            #expect(list.lines == ["REACHES", "api"], "\(list.stdout)")
            let json = try await sandbox.paas("network", "-a", "front", "--json")
            #expect(try json.decoded(AppNetworkResource.self) == AppNetworkResource(app: "front", reaches: ["api"]))
            #expect(try await sandbox.platform.client.network(app: "api").reaches.isEmpty, "a link goes one way")
            let events = try await sandbox.platform.client.events(app: "front").map(\.action)
            #expect(events.filter { $0 == "network.allow" }.count == 1, "\(events)")

            let deny = try await sandbox.paas("network:deny", "api", "-a", "front")
            #expect(deny.status == 0, "\(deny.stderr)")
            #expect(deny.stderr == "Stopping front from reaching api... done\n")
            #expect(try await sandbox.platform.client.network(app: "front").reaches.isEmpty)
            let again = try await sandbox.paas("network:deny", "api", "-a", "front")
            #expect(again.status == 1)
            #expect(again.stderr.contains("error: front is not allowed to reach api;"), "\(again.stderr)")
        }
    }

    @Test func linksToItselfOrToNoAppAreRefusedSayingWhy() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("front")
            let itself = try await sandbox.paas("network:allow", "front", "-a", "front")
            #expect(itself.status == 1)
            #expect(itself.stderr.contains("error: An app's processes always reach each other"), "\(itself.stderr)")
            let missing = try await sandbox.paas("network:allow", "nobody", "-a", "front")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("nobody"), "\(missing.stderr)")
            #expect(try await sandbox.platform.client.network(app: "front").reaches.isEmpty, "nothing was stored")
        }
    }
}
