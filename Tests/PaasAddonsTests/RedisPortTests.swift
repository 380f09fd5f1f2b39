#if canImport(Glibc)
import Glibc
#endif
import Logging
@testable import PaasAddons
import PaasTesting
import Testing

/// A port can look free to the provider's probe (nothing accepts on it) and still be taken: bound
/// by a process that does not listen, or by a server starting at the same moment.
@Suite(.tags(.medium))
struct RedisPortTests {
    @Test func anInstanceWhosePortIsTakenStartsOnAnotherOne() async throws {
        let (held, port) = try Self.bindPair()
        defer { close(held) }
        let url = try await Self.withProvider(ports: port..<(port + 2)) { provider in
            try await provider.provision(name: AddonNames.generate(for: .redis)).configVars["REDIS_URL"]
        }
        #expect(url?.hasSuffix(":\(port + 1)") == true, "\(url ?? "-")")
    }

    @Test func anInstanceWithNoOtherPortSaysWhyItDidNotStart() async throws {
        let (held, port) = try Self.bindPair()
        defer { close(held) }
        let error = await #expect(throws: AddonError.self) {
            try await Self.withProvider(ports: port..<(port + 1)) { provider in
                _ = try await provider.provision(name: AddonNames.generate(for: .redis))
            }
        }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("its log ends:") && text.contains("Failed listening on port \(port)"), "\(text)")
        #expect(!text.containsPasswordLikeToken, "\(text)")
    }

    /// A provider over its own directory with `ports`, stopped and removed after `body`.
    static func withProvider<T: Sendable>(ports: Range<Int>, _ body: (RedisProvider) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory.make(prefix: "paas-redis-ports")
        defer { TemporaryDirectory.remove(directory) }
        let provider = RedisProvider(
            configuration: RedisConfiguration(directory: directory, ports: ports), logger: Logger(label: "test.redis"))
        do {
            let result = try await body(provider)
            await provider.stop()
            return result
        } catch {
            await provider.stop()
            throw error
        }
    }

    /// A socket bound (not listening) to a port whose next port was free too; the caller closes it.
    static func bindPair() throws -> (Int32, Int) {
        for _ in 0..<100 {
            let port = try FreePort.find()
            guard let held = FreePort.bind(port) else { continue }
            guard let next = FreePort.bind(port + 1) else {
                close(held)
                continue
            }
            close(next)
            return (held, port)
        }
        throw TestFailure("Cannot find two free ports side by side.")
    }
}
