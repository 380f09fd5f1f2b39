import Testing
@testable import PaasRouter

@Test func moduleBuilds() { #expect(Bool(true)) }
