import Testing

@testable import PaasDiscovery

@Suite(.tags(.small))
struct UpstreamTests {
    @Test func resolvConfNameserversAreReadInOrder() {
        let text = "# generated\nsearch example.com\nnameserver 10.0.0.2\nnameserver\t2001:db8::1\noptions ndots:1\n"
        #expect(ResolvConf.nameservers(in: text) == ["10.0.0.2", "2001:db8::1"])
    }

    @Test(arguments: [
        ("10.0.0.2", "10.0.0.2", 53), ("127.0.0.1:5353", "127.0.0.1", 5353), ("[::1]:5300", "::1", 5300),
        ("2001:db8::1", "2001:db8::1", 53),
    ])
    func upstreamAddressesParse(_ text: String, _ host: String, _ port: Int) throws {
        let address = try UpstreamResolver.address(text)
        #expect(address.ipAddress == host && address.port == port)
    }

    @Test(arguments: ["dns.example", "10.0.0.2:0", "10.0.0.2:x", "[::1]x"])
    func invalidUpstreamsAreRejectedWithTheirCode(_ text: String) {
        let error = #expect(throws: DiscoveryError.self) { try UpstreamResolver.address(text) }
        #expect(error?.code == DiscoveryError.Code.invalidUpstream)
    }
}
