import PaasAPI
import Testing

@testable import PaasDiscovery

@Suite(.tags(.small))
struct DiscoveryTableTests {
    let table = DiscoveryTable(
        entries: [
            DiscoveryEntry(app: "shop", type: "web", index: 2, ip: "10.213.0.3", port: 5000),
            DiscoveryEntry(app: "shop", type: "web", index: 1, ip: "10.213.0.2", port: 5000),
            DiscoveryEntry(app: "shop", type: "worker", index: 1, ip: "10.213.0.4", port: 5001),
            DiscoveryEntry(app: "batch", type: "worker", index: 1, ip: "10.213.0.9", port: 5000),
        ],
        staticNames: ["mysql.addons.internal": ["10.213.0.1"], "v6.addons.internal": ["fd00::1"]])

    private func ask(_ name: String, _ type: DNSRecordType = .a, seeing visibleApps: Set<String>? = nil) throws -> DNSMessage {
        var header = DNSHeader(id: 77)
        header.recursionDesired = true
        let query = DNSMessage(header: header, questions: [DNSQuestion(name: try DNSName(name), type: type)])
        return try #require(table.answer(query, visibleApps: visibleApps))
    }

    private func addresses(_ records: [DNSResourceRecord]) -> [DNSRecordData] { records.map(\.data) }

    @Test func appNameAnswersItsWebProcesses() throws {
        let response = try ask("shop.internal")
        #expect(response.header.id == 77 && response.header.isResponse && response.header.isAuthoritative)
        #expect(response.header.responseCode == .noError)
        #expect(addresses(response.answers) == [.a([10, 213, 0, 2]), .a([10, 213, 0, 3])])
        #expect(response.answers.allSatisfy { $0.ttl == 5 })
    }

    @Test func typeAndIndexNamesAnswerTheirProcesses() throws {
        #expect(addresses(try ask("worker.shop.internal").answers) == [.a([10, 213, 0, 4])])
        #expect(addresses(try ask("web.shop.internal").answers).count == 2)
        #expect(addresses(try ask("2.web.shop.internal").answers) == [.a([10, 213, 0, 3])])
    }

    @Test func srvListsEachProcessWithItsPortAndAddress() throws {
        let response = try ask("_web._tcp.shop.internal", .srv)
        let targets = [try DNSName("1.web.shop.internal"), try DNSName("2.web.shop.internal")]
        #expect(addresses(response.answers) == targets.map { .srv(priority: 0, weight: 1, port: 5000, target: $0) })
        #expect(response.additionals.map(\.name) == targets)
        #expect(addresses(response.additionals) == [.a([10, 213, 0, 2]), .a([10, 213, 0, 3])])
    }

    @Test func anAskerLimitedToSomeAppsGetsNXDomainForEveryOtherAppsNames() throws {
        let hidden = ["shop.internal", "web.shop.internal", "1.web.shop.internal", "_web._tcp.shop.internal", "_tcp.shop.internal"]
        for name in hidden {
            let response = try ask(name, name.hasPrefix("_") ? .srv : .a, seeing: ["batch"])
            // The same answer as for an app that runs nothing: nothing to tell them apart.
            #expect(response.header.responseCode == .nameError, "\(name)")
            #expect(response.answers.isEmpty && response.additionals.isEmpty)
            #expect(response.authorities.map(\.type) == [.soa])
        }
        #expect(addresses(try ask("worker.batch.internal", seeing: ["batch"]).answers) == [.a([10, 213, 0, 9])])
        #expect(addresses(try ask("Worker.SHOP.internal", seeing: ["shop"]).answers) == [.a([10, 213, 0, 4])])
        #expect(try ask("worker.batch.internal", seeing: []).header.responseCode == .nameError)
    }

    @Test func staticNamesAnswerEveryAsker() throws {
        #expect(addresses(try ask("mysql.addons.internal", seeing: []).answers) == [.a([10, 213, 0, 1])])
        #expect(addresses(try ask("web.shop.internal", seeing: nil).answers).count == 2)
    }

    @Test func namesAreCaseInsensitive() throws {
        let response = try ask("WORKER.Shop.INTERNAL")
        #expect(addresses(response.answers) == [.a([10, 213, 0, 4])])
        #expect(response.answers.first?.name.description == "WORKER.Shop.INTERNAL.")
    }

    @Test func knownNameWithAnotherTypeIsNodataWithSOA() throws {
        for (name, type) in [("shop.internal", DNSRecordType.aaaa), ("shop.internal", .txt), ("_tcp.shop.internal", .srv), ("batch.internal", .a)] {
            let response = try ask(name, type)
            #expect(response.header.responseCode == .noError, "\(name) \(type)")
            #expect(response.answers.isEmpty)
            #expect(response.authorities.map(\.type) == [.soa])
        }
    }

    @Test func unknownInternalNameIsNXDomainWithSOA() throws {
        let response = try ask("nope.internal")
        #expect(response.header.responseCode == .nameError)
        #expect(response.authorities.first?.name == DiscoveryTable.zone)
        guard case .soa(let soa) = response.authorities.first?.data else { Issue.record("no SOA"); return }
        #expect(soa.minimum == 5)
        #expect(try ask("3.web.shop.internal").header.responseCode == .nameError)
    }

    @Test func staticNamesAnswerAAndAAAA() throws {
        #expect(addresses(try ask("mysql.addons.internal").answers) == [.a([10, 213, 0, 1])])
        #expect(try ask("v6.addons.internal", .aaaa).answers.count == 1)
        #expect(try ask("addons.internal").header.responseCode == .noError)
    }

    @Test func zoneApexAnswersSOA() throws {
        #expect(try ask("internal", .soa).answers.map(\.type) == [.soa])
    }

    @Test func namesOutsideTheZoneAreNotAnswered() throws {
        let query = DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: try DNSName("example.com"), type: .a)])
        #expect(table.answer(query) == nil)
        #expect(!table.isAuthoritative(for: try DNSName("internal.example.com")))
    }

    @Test func staticNamesOutsideTheZoneAreAnswered() throws {
        let outside = DiscoveryTable(staticNames: ["Example.Test": ["192.0.2.7"]])
        let query = DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: try DNSName("example.test"), type: .a)])
        #expect(outside.answer(query)?.answers.map(\.data) == [.a([192, 0, 2, 7])])
    }

    @Test func entriesDNSCannotCarryAreLeftOut() throws {
        let odd = DiscoveryTable(entries: [
            DiscoveryEntry(app: String(repeating: "x", count: 70), type: "web", index: 1, ip: "10.0.0.1", port: 5000),
            DiscoveryEntry(app: "ok", type: "web", index: 1, ip: "not-an-ip", port: 5000),
        ])
        let query = DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: try DNSName("ok.internal"), type: .a)])
        #expect(odd.answer(query)?.header.responseCode == .nameError)
    }
}
