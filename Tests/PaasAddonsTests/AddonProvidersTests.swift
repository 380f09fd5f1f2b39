@testable import PaasAddons
import PaasTesting
import Testing

@Suite(.tags(.small))
struct AddonProvidersTests {
    private let providers = AddonProviders([
        MySQLProvider(configuration: MySQLConfiguration(directory: "/nonexistent/addons/mysql")),
        PostgreSQLProvider(configuration: PostgreSQLConfiguration(directory: "/nonexistent/addons/postgresql")),
        RedisProvider(configuration: RedisConfiguration(directory: "/nonexistent/addons/redis")),
    ])

    @Test func findsAProviderByKind() throws {
        #expect(providers.kinds == [.mysql, .postgresql, .redis])
        for kind in providers.kinds { #expect(try providers.provider(for: kind.rawValue).kind == kind) }
    }

    @Test func unknownKindListsTheKinds() {
        let error = #expect(throws: AddonError.self) { try providers.provider(for: "mongodb") }
        #expect(error?.code == .unknownAddonKind)
        #expect(error?.message.contains("mongodb") == true)
        for kind in providers.kinds { #expect(error?.message.contains(kind.rawValue) == true) }
    }

    @Test func errorsNeverHoldPasswordsOrURLs() {
        let errors: [AddonError] = [
            .invalidName("x"), .unknownKind("x", known: [.mysql]), .alreadyExists(AddonName("abc")!),
            .notFound(AddonName("abc")!, kind: .redis), .serverUnavailable(.mysql),
        ]
        for error in errors {
            #expect(!error.description.contains("://"))
            #expect(!error.description.containsPasswordLikeToken)
        }
    }
}
