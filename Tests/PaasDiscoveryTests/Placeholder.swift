import Testing
@testable import PaasDiscovery

@Test func moduleBuilds() { #expect(Bool(true)) }
