import ArgumentParser
import PaasAPI
import PaasClient
import PaasRouter
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `paasd router`: the HTTP/HTTPS router alone, following a controller's route table (one per
/// host in a multi-host installation), or serving a fixed table from a file (benchmarks).
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Run the HTTP/HTTPS router on a controller's route table (or one from a JSON file).")

    @Option(help: "Address to listen on.") var host = "0.0.0.0"
    @Option(help: "Plain HTTP port.") var httpPort = 8080
    @Option(help: "HTTPS port (0 for none).") var httpsPort = 8443
    @Option(help: "Admin listener (health, metrics) as HOST:PORT, or 'none'.") var adminListen = "127.0.0.1:5300"
    @Option(help: "The controller's API URL, whose route table to follow (env PAAS_CONTROLLER_URL).") var controller: String?
    @Option(help: "A file holding a controller token (or env PAAS_TOKEN).") var tokenFile: String?
    @Option(help: "The token itself (visible to local users in ps: prefer --token-file or PAAS_TOKEN).") var token: String?
    @Option(help: "A fixed route table instead (the JSON of GET /v1/router/table).") var routes: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try routerConfiguration()
        if let url = controller ?? environment["PAAS_CONTROLLER_URL"] {
            guard let token = try ControllerToken.resolve(flag: token, file: tokenFile, environment: environment) else {
                throw ValidationError("--controller needs --token-file FILE (or PAAS_TOKEN).")
            }
            let service = try RouterService(
                configuration: configuration, controller: { ControllerClient(baseURL: url, token: token) }, logger: DaemonLogging.logger())
            let group = ServiceGroup.daemon([service], signals: [.sigterm, .sigint], logger: DaemonLogging.logger())
            return try await group.run()
        }
        guard let routes else { throw ValidationError("Say where routes come from: --controller URL --token-file FILE, or --routes FILE.") }
        let table: RouteTableResource
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: routes))
            table = try APICoding.makeDecoder().decode(RouteTableResource.self, from: data)
        } catch {
            throw ValidationError("Cannot read the route table in \(routes): \(error)")
        }
        let router = try Router(configuration: configuration, logger: DaemonLogging.logger())
        router.update(table)
        try await router.run()
    }

    private func routerConfiguration() throws -> RouterConfiguration {
        var configuration = RouterConfiguration(host: host, httpPort: httpPort, httpsPort: httpsPort == 0 ? nil : httpsPort)
        if adminListen == "none" {
            configuration.adminPort = nil
        } else {
            guard let colon = adminListen.lastIndex(of: ":"), let port = Int(adminListen[adminListen.index(after: colon)...]) else {
                throw ValidationError("--admin-listen must be HOST:PORT or 'none', not '\(adminListen)'.")
            }
            configuration.adminHost = String(adminListen[..<colon])
            configuration.adminPort = port
        }
        return configuration
    }
}
