import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import PaasAPI
import PaasBlobs
import PaasClient
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// `paasd runner`: the runner of one more host. It prepares the host's
/// network, serves its API with the host token, fetches slugs from the controller's blob store,
/// and registers itself with the controller, which then starts there what should run.
struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner", abstract: "Run this host's runner and register it with a controller.")

    @Option(help: "The controller's API URL (env PAAS_CONTROLLER_URL).")
    var controller: String?

    @Option(help: "A file holding a token of the controller (or env PAAS_TOKEN); it is only sent to the controller.")
    var tokenFile: String?

    @Option(help: "The token itself (visible to local users in ps: prefer --token-file or PAAS_TOKEN).")
    var token: String?

    @Option(help: "The name this host registers under (default: its host name).")
    var name: String?

    @Option(help: "The URL the controller reaches this runner at (default: http://<runner-listen>).")
    var advertiseURL: String?

    @Flag(help: "Remove the bridge and its nftables table on shutdown (tests).")
    var tearDownNetwork = false

    @OptionGroup var options: PlatformOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let controllerURL = controller ?? environment["PAAS_CONTROLLER_URL"],
            let token = try ControllerToken.resolve(flag: token, file: tokenFile, environment: environment)
        else {
            throw PlatformError("paasd runner needs --controller URL and --token-file FILE (or PAAS_CONTROLLER_URL and PAAS_TOKEN).")
        }
        var configuration = try options.makeConfiguration()
        if let name { configuration.hostName = name }
        guard !configuration.runStacks.isEmpty, let slugRunner = configuration.slugRunnerPath else {
            throw PlatformError("paasd runner needs --run-stack and --slug-runner (scripts/up builds and passes them).")
        }
        if mkdir(configuration.dataDirectory, 0o711) != 0 && errno != EEXIST {
            throw PlatformError("Cannot create \(configuration.dataDirectory): \(String(cString: strerror(errno))). Pass another --data-dir.")
        }
        let logger = DaemonLogging.logger()
        let service = try await RunnerService.start(
            host: .init(
                dataDirectory: configuration.dataDirectory, stacks: configuration.runStacks,
                defaultStack: configuration.defaultStack, slugRunnerPath: slugRunner, network: configuration.containerNetwork),
            listen: (configuration.runnerHost, configuration.runnerPort), tokenPath: configuration.hostTokenPath,
            blobs: HTTPBlobStore(baseURL: controllerURL, token: token), logger: logger)
        let registration = Task {
            try await service.waitUntilListening()
            guard let url = advertiseURL ?? service.client()?.baseURL else { return }
            try await Self.register(
                ControllerClient(baseURL: controllerURL, token: token), name: configuration.hostName,
                HostRegistrationRequest(runnerURL: url, hostToken: service.token), logger: logger)
        }
        let group = ServiceGroup.daemon([service.application], signals: [.sigterm, .sigint], logger: logger)
        let result = await Result { try await group.run() }
        registration.cancel()
        await Task { await service.shutDown(tearDownNetwork: tearDownNetwork) }.value
        try result.get()
    }

    /// Registers with the controller, trying again every 2 s until it answers.
    static func register(_ controller: ControllerClient, name: String, _ registration: HostRegistrationRequest, logger: Logger) async throws {
        while true {
            do {
                _ = try await controller.registerHost(name: name, registration)
                print("paasd: runner \(name) registered with \(controller.baseURL) as \(registration.runnerURL)")
                fflush(nil)
                return
            } catch {
                logger.warning("cannot register with the controller yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(2))
            }
        }
    }
}
