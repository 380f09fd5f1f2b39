import PaasTesting
import Testing

@testable import PaasRunner

/// Real namespaces on a real bridge, with the nftables rules the runner writes: which container
/// may connect to which, and what of the host a container reaches.
@Suite(.tags(.medium))
struct AppFirewallTests {
    @Test func appsReachOnlyTheirOwnProcessesUntilLinkedAndALinkWorksOneWay() async throws {
        try await TestNetwork.withPrepared { network in
            let shop1 = try await network.containers.create(id: "shop-web-1", app: "shop")
            let shop2 = try await network.containers.create(id: "shop-web-2", app: "shop")
            let blog = try await network.containers.create(id: "blog-web-1", app: "blog")
            try await network.requireRouteThroughBridge(to: shop2.address)
            try await network.requireRouteThroughBridge(to: blog.address)
            let shopServer = try await NamespaceHTTPServer.start(in: shop2.namespace, address: shop2.address)
            defer { shopServer.stop() }
            let blogServer = try await NamespaceHTTPServer.start(in: blog.namespace, address: blog.address)
            defer { blogServer.stop() }

            // The host (the router) reaches both; an app reaches its own processes only.
            #expect(try await Self.connects(blogServer.url, from: nil))
            #expect(try await Self.connects(shopServer.url, from: shop1.namespace))
            #expect(!(try await Self.connects(blogServer.url, from: shop1.namespace)), "shop reached blog unlinked")
            #expect(!(try await Self.connects(shopServer.url, from: blog.namespace)), "blog reached shop unlinked")

            // shop → blog: shop connects and gets blog's answers; blog still cannot open a connection to shop.
            try await network.containers.setLinks(app: "shop", reaches: ["blog"])
            #expect(try await Self.connects(blogServer.url, from: shop1.namespace))
            #expect(!(try await Self.connects(shopServer.url, from: blog.namespace)), "the link let blog reach shop")

            // A container started after the link is in it too.
            let blog2 = try await network.containers.create(id: "blog-web-2", app: "blog")
            let blogServer2 = try await NamespaceHTTPServer.start(in: blog2.namespace, address: blog2.address)
            defer { blogServer2.stop() }
            #expect(try await Self.connects(blogServer2.url, from: shop2.namespace))

            try await network.containers.setLinks(app: "shop", reaches: [])
            #expect(!(try await Self.connects(blogServer.url, from: shop1.namespace)), "shop reached blog after the link went")
            #expect(try await Self.connects(shopServer.url, from: shop1.namespace))
        }
    }

    @Test func aContainerReachesOnlyTheHostsServicePortsAndNotItsOtherServers() async throws {
        let open = try FreePort.find()
        let closed = try FreePort.find()
        try await TestNetwork.withPrepared(hostServicePorts: [open...open]) { network in
            let container = try await network.containers.create(id: "web-1", app: "shop")
            let gateway = network.configuration.gateway
            let service = try await NamespaceHTTPServer.start(in: nil, address: gateway, port: open)
            defer { service.stop() }
            let other = try await NamespaceHTTPServer.start(in: nil, address: gateway, port: closed)
            defer { other.stop() }

            #expect(try await Self.connects(service.url, from: container.namespace))
            // Refused by the host's rules at once (a reset), not left to time out.
            let refused = try await fetch(other.url, from: container.namespace)
            #expect(refused.status == 7, "curl: \(refused.status) \(refused.stderr)")
            #expect(refused.stderr.contains("Connection refused") || refused.stderr.contains("Couldn't connect"), "\(refused.stderr)")
        }
    }

    @Test func theRulesMatchTheBridgePortsOfEachApp() {
        var firewall = AppFirewall()
        #expect(!firewall.ruleset(tableName: "t").contains("drop"), "no containers, nothing to filter")
        firewall.members = [
            "a1": .init(app: "a", port: "vh01"), "a2": .init(app: "a", port: "vh02"), "b1": .init(app: "b", port: "vh03"),
        ]
        firewall.links = ["a": ["b"]]
        let rules = firewall.ruleset(tableName: "t")
        #expect(rules.hasPrefix("table bridge t\ndelete table bridge t\n"))
        #expect(rules.contains("iifname != { \"vh01\", \"vh02\", \"vh03\" } accept"), "\(rules)")
        #expect(rules.contains("iifname vmap { \"vh01\" : jump app_0, \"vh02\" : jump app_0, \"vh03\" : jump app_1 }"), "\(rules)")
        // a reaches a and b; b reaches b and answers a.
        #expect(rules.contains("chain app_0 {\n\t\toifname { \"vh01\", \"vh02\", \"vh03\" } accept\n\t\tdrop\n"), "\(rules)")
        #expect(rules.contains("chain app_1 {\n\t\toifname { \"vh03\" } accept\n\t\toifname { \"vh01\", \"vh02\" } tcp flags & (syn | ack) != syn accept\n"), "\(rules)")
    }

    /// Whether curl gets an HTTP answer from `url` from `namespace` (nil: the host). A dropped
    /// connection fails after curl's own 3 s.
    static func connects(_ url: String, from namespace: String?) async throws -> Bool {
        try await fetch(url, from: namespace).status == 0
    }
}
