import Testing
@testable import PaasAddons

@Test func moduleBuilds() { #expect(Bool(true)) }
