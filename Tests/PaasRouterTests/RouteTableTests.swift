import NIOHTTP1
import PaasAPI
import PaasTesting
import Testing
@testable import PaasRouter

@Suite(.tags(.small))
struct RouteTableTests {
    let table = RouteTable(
        RouteTableResource(
            version: 1, defaultDomain: "Apps.Example.org",
            apps: [
                AppRouteResource(app: "shop", domains: ["www.shop.com", "*.shop.com"], backends: []),
                AppRouteResource(app: "blog", domains: ["blog.io", "special.shop.com"], redirectHTTPS: true, backends: []),
            ]))

    @Test(arguments: [
        ("shop.apps.example.org", "shop"), ("SHOP.apps.example.org:8080", "shop"), ("blog.apps.example.org.", "blog"),
        ("www.shop.com", "shop"), ("blog.io:443", "blog"), ("special.shop.com", "blog"), ("eu.shop.com", "shop"),
    ])
    func hostsRouteToTheirApp(host: String, expected: String) {
        #expect(table.app(forHost: host)?.name == expected)
    }

    @Test(arguments: ["nope.apps.example.org", "a.b.shop.com", "shop.com", "apps.example.org", "x.shop.apps.example.org", ""])
    func unknownHostsRouteNowhere(host: String) {
        #expect(table.app(forHost: host) == nil)
    }

    @Test func requestIDsAreKeptOnlyWhenValid() {
        #expect(ForwardedHeaders.isValidRequestID("abcdefghij0123456789+/=-"))
        #expect(!ForwardedHeaders.isValidRequestID("short"))
        #expect(!ForwardedHeaders.isValidRequestID("has spaces in it, which is bad"))
        #expect(!ForwardedHeaders.isValidRequestID(String(repeating: "a", count: 201)))
        let generated = ForwardedHeaders.requestID(from: HTTPHeaders([("X-Request-Id", "bad")]))
        #expect(generated != "bad" && generated.count == 36)
    }

    @Test func backendRequestDropsHopByHopHeadersAndAddsForwarding() {
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/x",
            headers: HTTPHeaders([
                ("Host", "a"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "1"), ("Keep-Alive", "5"),
                ("TE", "trailers"), ("Proxy-Authorization", "x"), ("X-Forwarded-For", "10.0.0.1"),
                ("X-Forwarded-Proto", "spoofed"), ("Upgrade", "websocket"), ("Accept", "*/*"),
            ]))
        let out = ForwardedHeaders.backendRequest(
            head, requestID: "rid", clientAddress: "127.0.0.1", proto: "http", port: "8080", upgrade: false)
        for name in ["connection", "x-secret", "keep-alive", "te", "proxy-authorization", "upgrade"] {
            #expect(!out.headers.contains(name: name), "\(name) should be dropped")
        }
        #expect(out.headers["x-forwarded-for"] == ["10.0.0.1, 127.0.0.1"])
        #expect(out.headers["x-forwarded-proto"] == ["http"])
        #expect(out.headers["x-forwarded-port"] == ["8080"])
        #expect(out.headers["x-request-id"] == ["rid"])
        #expect(out.headers["accept"] == ["*/*"])
        #expect(out.headers["host"] == ["a"])
    }

    @Test func selectionRotatesPrefersIdleAndSkipsRefusedBackends() throws {
        let states = try (1...3).map { try BackendState(RouteBackendResource(process: "web.\($0)", host: "127.0.0.1", port: 1000 + $0)) }
        let backends = AppBackends(states)
        var picked: [String] = []
        for _ in 0..<3 {
            let chosen = try #require(backends.select(excluding: []))
            picked.append(chosen.process)
            chosen.requestFinished()
        }
        #expect(Set(picked) == ["web.1", "web.2", "web.3"])
        // web.1 and web.2 busy: web.3 wins whatever the turn.
        states[0].requestStarted()
        states[1].requestStarted()
        for _ in 0..<3 {
            let chosen = try #require(backends.select(excluding: []))
            #expect(chosen.process == "web.3")
            chosen.requestFinished()
        }
        states[2].markRefused(for: .seconds(60))
        #expect(backends.select(excluding: [])?.process != "web.3")
        #expect(backends.select(excluding: [states[0], states[1]])?.process == "web.3", "refused is still better than nothing")
        #expect(backends.select(excluding: states) == nil)
    }
}
