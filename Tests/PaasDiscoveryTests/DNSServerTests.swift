#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaasAPI
import PaasTesting
import Testing

@testable import PaasDiscovery

/// A real server on loopback, asked with the real `dig` over UDP and TCP.
@Suite(.tags(.medium))
struct DNSServerTests {
    static let entries = [
        DiscoveryEntry(app: "shop", type: "web", index: 1, ip: "10.213.0.2", port: 5000),
        DiscoveryEntry(app: "shop", type: "web", index: 2, ip: "10.213.0.3", port: 5002),
        DiscoveryEntry(app: "shop", type: "worker", index: 1, ip: "10.213.0.4", port: 6000),
    ]

    /// Runs `body` with a running server (port 0, no upstreams unless given), then stops it.
    /// The upstream timeout is generous (a loaded machine may take seconds to answer over TCP);
    /// tests of a dead upstream give a short one, within dig's own wait.
    private func withServer<T: Sendable>(
        entries: [DiscoveryEntry] = entries, staticNames: [String: [String]] = [:], upstreams: [String] = [],
        upstreamTimeout: Duration = .seconds(30), port: Int = 0, audience: (any DiscoveryAudience)? = nil,
        _ body: (DNSServer) async throws -> T
    ) async throws -> T {
        let configuration = DiscoveryConfiguration(
            host: "127.0.0.1", port: port, upstreams: upstreams, upstreamTimeout: upstreamTimeout)
        let server = try await DNSServer(
            configuration: configuration, entries: entries, staticNames: staticNames, audience: audience)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    @Test(arguments: [[], ["+tcp"]])
    func appAndTypeNamesAnswerTheirProcesses(_ transport: [String]) async throws {
        try await withServer { server async throws in
            let app = try await dig(port: server.port, "shop.internal", "A", transport)
            #expect(app.status == "NOERROR" && app.flags.contains("aa"))
            #expect(app.output.contains("(TCP)") == (transport == ["+tcp"]))
            #expect(app.answerData().sorted() == ["10.213.0.2", "10.213.0.3"])
            #expect(try await dig(port: server.port, "web.shop.internal", "A", transport).answerData().count == 2)
            #expect(try await dig(port: server.port, "worker.shop.internal", "A", transport).answerData() == ["10.213.0.4"])
            #expect(try await dig(port: server.port, "2.web.shop.internal", "A", transport).answerData() == ["10.213.0.3"])
        }
    }

    /// Sees what its table says, by client address; clients it does not list see nothing.
    struct ListedAudience: DiscoveryAudience {
        var apps: [String: Set<String>]
        func visibleApps(from address: String) -> Set<String>? { apps[address] ?? [] }
    }

    @Test(arguments: [[], ["+tcp"]])
    func eachClientGetsOnlyTheAppsItsAudienceAllows(_ transport: [String]) async throws {
        let audience = ListedAudience(apps: ["127.0.0.2": ["shop"], "127.0.0.3": ["other"]])
        try await withServer(staticNames: ["mysql.addons.internal": ["10.213.0.1"]], audience: audience) { server async throws in
            let allowed = try await dig(port: server.port, "web.shop.internal", "A", transport + ["-b", "127.0.0.2"])
            #expect(allowed.answerData().sorted() == ["10.213.0.2", "10.213.0.3"])
            for client in ["127.0.0.3", "127.0.0.4"] {
                let refused = try await dig(port: server.port, "web.shop.internal", "A", transport + ["-b", client])
                #expect(refused.status == "NXDOMAIN" && refused.answerData().isEmpty, "\(client)")
                let addon = try await dig(port: server.port, "mysql.addons.internal", "A", transport + ["-b", client])
                #expect(addon.answerData() == ["10.213.0.1"], "\(client)")
            }
        }
    }

    @Test func srvRecordsCarryEachProcessPortAndAddress() async throws {
        try await withServer { server async throws in
            let result = try await dig(port: server.port, "_web._tcp.shop.internal", "SRV")
            #expect(result.answerData("SRV").sorted() == ["0 1 5000 1.web.shop.internal.", "0 1 5002 2.web.shop.internal."])
            let additional = result.additional.filter { $0.count == 5 && $0[3] == "A" }.map { [$0[0], $0[4]] }
            #expect(additional.sorted { $0[0] < $1[0] } == [["1.web.shop.internal.", "10.213.0.2"], ["2.web.shop.internal.", "10.213.0.3"]])
        }
    }

    @Test func unknownNameIsNXDomainAndOtherTypeIsNodata() async throws {
        try await withServer { server async throws in
            let missing = try await dig(port: server.port, "nope.internal")
            #expect(missing.status == "NXDOMAIN")
            #expect(missing.authority.first?[3] == "SOA")
            let aaaa = try await dig(port: server.port, "shop.internal", "AAAA")
            #expect(aaaa.status == "NOERROR" && aaaa.answers.isEmpty)
            #expect(aaaa.authority.first?[3] == "SOA")
        }
    }

    @Test func namesAreCaseInsensitive() async throws {
        try await withServer { server async throws in
            #expect(try await dig(port: server.port, "WoRkEr.SHOP.Internal").answerData() == ["10.213.0.4"])
        }
    }

    @Test func updatesShowInTheNextAnswer() async throws {
        try await withServer { server async throws in
            #expect(try await dig(port: server.port, "shop.internal").answerData().count == 2)
            server.update(entries: Array(Self.entries.dropFirst()), staticNames: ["mysql.addons.internal": ["10.213.0.1"]])
            #expect(try await dig(port: server.port, "shop.internal").answerData() == ["10.213.0.3"])
            #expect(try await dig(port: server.port, "1.web.shop.internal").status == "NXDOMAIN")
            #expect(try await dig(port: server.port, "mysql.addons.internal").answerData() == ["10.213.0.1"])
        }
    }

    @Test func bigAnswersAreTruncatedOverUDPAndWholeOverTCP() async throws {
        let many = (1...60).map { DiscoveryEntry(app: "big", type: "web", index: $0, ip: "10.213.1.\($0)", port: 5000) }
        try await withServer(entries: many) { server async throws in
            let cut = try await dig(port: server.port, "big.internal", "A", ["+noedns", "+ignore"])
            #expect(cut.flags.contains("tc") && cut.answers.isEmpty, "\(cut.output)")
            let retried = try await dig(port: server.port, "big.internal", "A", ["+noedns"])
            #expect(retried.output.contains("Truncated, retrying in TCP mode"), "\(retried.output)")
            #expect(retried.answerData().count == 60, "\(retried.output)")
            let srv = try await dig(port: server.port, "_web._tcp.big.internal", "SRV")  // EDNS 1232 bytes
            #expect(srv.answerData("SRV").count == 60, "\(srv.output)")
        }
    }

    @Test(arguments: [[], ["+tcp"]])
    func outsideNamesAreForwardedUpstream(_ transport: [String]) async throws {
        let upstreamNames = ["example.test": ["192.0.2.7"], "big.test": (1...60).map { "192.0.2.\($0)" }]
        try await withServer(entries: [], staticNames: upstreamNames) { upstream async throws in
            try await withServer(upstreams: ["127.0.0.1:\(upstream.port)"]) { server async throws in
                let result = try await dig(port: server.port, "example.test", "A", transport)
                #expect(result.status == "NOERROR" && result.answerData() == ["192.0.2.7"], "\(result.output)")
                // Upstream truncates over UDP; the server retries over TCP, then truncates for this UDP client.
                let big = try await dig(port: server.port, "big.test", "A", transport + ["+noedns"])
                #expect(big.answerData().count == 60, "\(big.output)")
                #expect(big.output.contains("Truncated, retrying in TCP mode") == transport.isEmpty, "\(big.output)")
                let own = try await dig(port: server.port, "shop.internal", "A", transport)
                #expect(own.answerData().count == 2, "\(own.output)")
            }
        }
    }

    @Test func forwardedAnswersKeepTheClientsID() async throws {
        try await withServer(entries: [], staticNames: ["example.test": ["192.0.2.7"]]) { upstream async throws in
            try await withServer(upstreams: ["127.0.0.1:\(upstream.port)"]) { server async throws in
                var header = DNSHeader(id: 0xABCD)
                header.recursionDesired = true
                let query = DNSMessage(header: header, questions: [DNSQuestion(name: try DNSName("example.test"), type: .a)])
                let bytes = try #require(await server.respond(to: query.encoded(), overTCP: false, from: nil))
                let reply = try DNSMessage(bytes: bytes)
                #expect(reply.header.id == 0xABCD)
                #expect(reply.answers.map(\.data) == [.a([192, 0, 2, 7])])
            }
        }
    }

    @Test func deadUpstreamGivesServfailWithinSeconds() async throws {
        let dead = try SilentUpstream()
        try await withServer(upstreams: ["127.0.0.1:\(dead.port)"], upstreamTimeout: .seconds(2)) { server async throws in
            // Within dig's own wait: without the answer dig would report no status at all.
            let result = try await dig(port: server.port, "example.test")
            #expect(result.status == "SERVFAIL", "\(result.output)")
        }
        withExtendedLifetime(dead) {}
    }

    @Test func aSilentUpstreamIsSkippedForTheNextOne() async throws {
        let dead = try SilentUpstream()
        try await withServer(entries: [], staticNames: ["example.test": ["192.0.2.7"]]) { upstream async throws in
            // The dead one's short timeout leaves the live one most of dig's 8 s.
            try await withServer(upstreams: ["127.0.0.1:\(dead.port)", "127.0.0.1:\(upstream.port)"], upstreamTimeout: .seconds(2)) {
                server async throws in
                let result = try await dig(port: server.port, "example.test")
                #expect(result.status == "NOERROR" && result.answerData() == ["192.0.2.7"], "\(result.output)")
            }
        }
        withExtendedLifetime(dead) {}
    }

    @Test func theServerNeverForwardsToItself() async throws {
        let port = try FreePort.find()
        try await withServer(upstreams: ["127.0.0.1:\(port)"], port: port) { server async throws in
            // A loop would leave dig without an answer; the guard answers SERVFAIL at once.
            #expect(try await dig(port: server.port, "example.test").status == "SERVFAIL")
        }
    }

    @Test func malformedQueriesGetFormErrOrSilence() async throws {
        try await withServer { server async throws in
            let garbage: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
            let reply = try DNSMessage(bytes: try #require(await server.respond(to: garbage, overTCP: false, from: nil)))
            #expect(reply.header.id == 0x1234 && reply.header.responseCode == .formatError)
            #expect(await server.respond(to: [1, 2, 3], overTCP: false, from: nil) == nil)
        }
    }

    @Test func runEndsQuietlyAndClosesItsSocketsWhenCancelled() async throws {
        let dns = try await DNSServer(configuration: DiscoveryConfiguration(host: "127.0.0.1", port: 0, upstreams: []))
        let running = Task { try await dns.run() }
        #expect(try await dig(port: dns.port, "nope.internal").status == "NXDOMAIN")
        // The server's sockets, by inode, among this process's descriptors, found by asking each
        // socket its own address. Neither whether the port is free afterwards nor /proc/net says
        // it: a test beside this one may take the port, and /proc/net skips rows while other
        // tests open and close sockets.
        let sockets = Self.ownSockets(boundTo: dns.port)
        #expect(sockets.values.sorted() == ["TCP", "UDP"], "the server's UDP and TCP sockets are open: \(sockets)")
        running.cancel()
        try await running.value
        // run() returns once its sockets are closed: none of them is open at once.
        let left = Set(sockets.keys).intersection(Self.ownSocketInodes().keys)
        #expect(left.isEmpty, "sockets \(left) of port \(dns.port) still open after run() ended")
    }

    /// This process's sockets bound to 127.0.0.1:`port` (UDP, and TCP listening): inode → "UDP"/"TCP".
    static func ownSockets(boundTo port: Int) -> [String: String] {
        var found: [String: String] = [:]
        for (inode, descriptor) in ownSocketInodes() {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0, address.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: address.sin_port)) == port,
                address.sin_addr.s_addr == inet_addr("127.0.0.1")
            else { continue }
            var type: Int32 = 0
            var listening: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &size) == 0 else { continue }
            size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 else { continue }
            if type == Int32(SOCK_DGRAM.rawValue) { found[inode] = "UDP" }
            if type == Int32(SOCK_STREAM.rawValue) && listening == 1 { found[inode] = "TCP" }
        }
        return found
    }

    /// The sockets this process has a descriptor of, from /proc/self/fd: inode → descriptor.
    static func ownSocketInodes() -> [String: Int32] {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var sockets: [String: Int32] = [:]
        for descriptor in descriptors {
            guard let number = Int32(descriptor),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor),
                target.hasPrefix("socket:[")
            else { continue }
            sockets[String(target.dropFirst("socket:[".count).dropLast())] = number
        }
        return sockets
    }

    @Test func aTakenPortIsReportedWithItsCode() async throws {
        try await withServer { server async throws in
            let configuration = DiscoveryConfiguration(host: "127.0.0.1", port: server.port, upstreams: [])
            let error = await #expect(throws: DiscoveryError.self) { try await DNSServer(configuration: configuration) }
            #expect(error?.code == DiscoveryError.Code.bindFailed)
        }
    }
}
