#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import PaasBlobs
import PaasClient
import PaasHTTP
import PaasRunner
import PaasSupport

/// The runner of this host inside `paasd up`: its API served on its own port with the host token,
/// and a client for the controller that goes through that API, as it would to another host.
struct RunnerService: Sendable {
    let runner: Runner
    let application: Application<RouterResponder<APIRequestContext>>
    let token: String
    let network: NetworkConfiguration
    /// DNS discovery on the bridge gateway.
    let discovery: RunnerDiscovery
    private let url: SharedValue<String?>

    /// Prepares the host (network, leftovers) and the API server (not yet running).
    static func start(
        host: RunnerHost.Configuration, listen: (host: String, port: Int), tokenPath: String, blobs: any BlobStore,
        logger: Logger
    ) async throws -> RunnerService {
        let runner = try await RunnerHost.start(configuration: host, blobs: blobs, logger: logger)
        let discovery = try await RunnerDiscovery(runner: runner, host: "\(host.network.gateway)", logger: logger)
        let token = try hostToken(at: tokenPath)
        let url = SharedValue<String?>(nil)
        let application = Application(
            router: RunnerAPI(runner: runner, token: token).makeRouter(),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "paasd-runner"),
            onServerRunning: { channel in url.withLock { $0 = "http://\(listen.host):\(channel.localAddress?.port ?? 0)" } },
            logger: logger)
        return RunnerService(
            runner: runner, application: application, token: token, network: host.network, discovery: discovery, url: url)
    }

    /// A client of the runner's API, once it listens.
    func client() -> RunnerClient? {
        url.withLock { $0 }.map { RunnerClient(baseURL: $0, token: token) }
    }

    /// Returns once the API listens (the controller must not deploy before).
    func waitUntilListening() async throws {
        while url.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops every process; with `tearDownNetwork`, removes the bridge and its table too.
    func shutDown(tearDownNetwork: Bool) async {
        await runner.stopAll(grace: .seconds(10))
        await discovery.stop()
        if tearDownNetwork { try? await HostNetwork(configuration: network).tearDown() }
    }

    /// The host token in `path`, made (random, mode 0600) on first use.
    static func hostToken(at path: String) throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmed, !existing.isEmpty { return existing }
        var generator = SystemRandomNumberGenerator()
        let token = "host_" + (0..<32).map { _ in String(format2(UInt8.random(in: 0...255, using: &generator))) }.joined()
        try SecretFile.write(token + "\n", to: path)
        return token
    }

    private static func format2(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16)
        return hex.count == 1 ? "0" + hex : hex
    }
}
