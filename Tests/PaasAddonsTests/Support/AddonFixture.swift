import Logging
@testable import PaasAddons
import PaasBlobs
import PaasTesting

/// Providers of the given kinds on a temporary data directory and free loopback ports.
/// `stop()` stops their servers; `remove()` deletes the directory.
struct AddonFixture: Sendable {
    /// The temporary platform data directory (`<it>/addons/<kind>`).
    let directory: String
    let ports: [AddonKind: Int]
    let providers: [AddonKind: any AddonProvider]

    /// The kinds every behaviour test runs against.
    static let allKinds: [AddonKind] = [.mysql, .postgresql, .redis]

    /// Fresh providers on a new directory.
    static func make(
        kinds: [AddonKind] = allKinds, afterCreate: (@Sendable (AddonName) async throws -> Void)? = nil
    ) throws -> AddonFixture {
        let directory = try TemporaryDirectory.make(prefix: "paas-addons")
        var ports: [AddonKind: Int] = [:]
        for kind in kinds { ports[kind] = try FreePort.find() }
        return AddonFixture(directory: directory, ports: ports, afterCreate: afterCreate)
    }

    /// Providers over `directory` and `ports` (a second start of the same platform).
    init(directory: String, ports: [AddonKind: Int], afterCreate: (@Sendable (AddonName) async throws -> Void)? = nil) {
        self.directory = directory
        self.ports = ports
        var providers: [AddonKind: any AddonProvider] = [:]
        for (kind, port) in ports {
            providers[kind] = Self.makeProvider(kind, directory: directory + "/addons/" + kind.rawValue, port: port, afterCreate: afterCreate)
        }
        self.providers = providers
    }

    /// The same data directory and ports, with new providers (as after a platform restart).
    func restarted(afterCreate: (@Sendable (AddonName) async throws -> Void)? = nil) -> AddonFixture {
        AddonFixture(directory: directory, ports: ports, afterCreate: afterCreate)
    }

    func provider(_ kind: AddonKind) -> any AddonProvider { providers[kind]! }

    /// A blob store for backups, inside the fixture's directory.
    var blobStore: FilesystemBlobStore { FilesystemBlobStore(root: directory + "/blobs") }

    func stop() async {
        for provider in providers.values { await provider.stop() }
    }

    func remove() { TemporaryDirectory.remove(directory) }

    /// Runs `body` with a fresh fixture, always stopping its servers and removing its directory.
    static func with<T: Sendable>(
        kinds: [AddonKind] = allKinds, afterCreate: (@Sendable (AddonName) async throws -> Void)? = nil,
        _ body: (AddonFixture) async throws -> T
    ) async throws -> T {
        let fixture = try make(kinds: kinds, afterCreate: afterCreate)
        do {
            let result = try await body(fixture)
            await fixture.stop()
            fixture.remove()
            return result
        } catch {
            await fixture.stop()
            fixture.remove()
            throw error
        }
    }

    private static func makeProvider(
        _ kind: AddonKind, directory: String, port: Int, afterCreate: (@Sendable (AddonName) async throws -> Void)?
    ) -> any AddonProvider {
        let logger = Logger(label: "test.addons.\(kind)")
        switch kind {
        case .mysql:
            var configuration = MySQLConfiguration(directory: directory, port: port)
            configuration.afterCreate = afterCreate
            return MySQLProvider(configuration: configuration, logger: logger)
        case .postgresql:
            var configuration = PostgreSQLConfiguration(directory: directory, port: port)
            configuration.afterCreate = afterCreate
            return PostgreSQLProvider(configuration: configuration, logger: logger)
        default:
            // Redis instances probe for ports in a range of their own, disjoint from FreePort's, one per add-on.
            var configuration = RedisConfiguration(directory: directory, ports: FreePort.probingServers)
            configuration.afterCreate = afterCreate
            return RedisProvider(configuration: configuration, logger: logger)
        }
    }
}

extension String {
    /// Whether the text holds something shaped like a generated password (32 alphanumerics).
    var containsPasswordLikeToken: Bool {
        split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).contains { $0.count >= 32 }
    }
}
