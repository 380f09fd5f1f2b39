@testable import PaasAddons
import PaasTesting
import Testing

@Suite(.tags(.small))
struct AddonProvidersTests {
    private let providers = AddonProviders(configuration: AddonsConfiguration(dataDirectory: "/nonexistent"))

    @Test func findsAProviderByKind() throws {
        #expect(providers.kinds == [.mysql, .postgresql, .redis])
        for kind in providers.kinds { #expect(try providers.provider(for: kind.rawValue).kind == kind) }
    }

    @Test func configurationPlacesEachProviderUnderTheDataDirectory() {
        var configuration = AddonsConfiguration(dataDirectory: "/var/lib/paas")
        configuration.listenAddress = "10.213.0.1"
        configuration.urlHosts = [.mysql: "mysql.addons.internal"]
        configuration.postgresqlAdminURL = AdminURL("postgres://admin:secret@db.example/postgres")
        #expect(configuration.mysql.directory == "/var/lib/paas/addons/mysql")
        #expect(configuration.mysql.listenAddress == "10.213.0.1")
        #expect(configuration.mysql.urlHost == "mysql.addons.internal")
        #expect(configuration.postgresql.urlHost == nil)
        #expect(configuration.postgresql.adminURL?.host == "db.example")
        #expect(configuration.redis.directory == "/var/lib/paas/addons/redis")
        #expect(configuration.redis.ports == 16379..<16879)
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
