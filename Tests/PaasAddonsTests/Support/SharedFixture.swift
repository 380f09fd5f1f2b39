import Synchronization
import Testing
@testable import PaasAddons

/// One fixture for a whole suite: started before its first test, stopped and removed after its
/// last. Tests read it from `SharedFixture.current`.
struct SharedFixture: SuiteTrait, TestScoping {
    @TaskLocal static var current: AddonFixture?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await AddonFixture.with(afterCreate: Self.failDoomedNamesOnce) { fixture in
            try await SharedFixture.$current.withValue(fixture) { try await function() }
        }
    }

    /// Makes provisioning fail after the database and user exist, the first time a name
    /// starting with `doomed-` is provisioned.
    @Sendable static func failDoomedNamesOnce(_ name: AddonName) async throws {
        guard name.rawValue.hasPrefix("doomed-"), doomed.withLock({ $0.insert(name).inserted }) else { return }
        throw ForcedFailure()
    }

    private static let doomed = Mutex<Set<AddonName>>([])

    /// The suite's fixture.
    static func fixture() throws -> AddonFixture {
        try #require(current, "The suite needs the .sharedFixture trait.")
    }
}

extension Trait where Self == SharedFixture {
    /// Shares one set of providers (and their servers) among a suite's tests.
    static var sharedFixture: SharedFixture { SharedFixture() }
}

/// The failure `failDoomedNamesOnce` forces.
struct ForcedFailure: Error, CustomStringConvertible {
    var description: String { "forced failure after the database and user were made" }
}
