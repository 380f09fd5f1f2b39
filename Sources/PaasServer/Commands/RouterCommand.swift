import ArgumentParser
import PaasAPI
import PaasRouter

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `paasd router`: the HTTP/HTTPS router alone, serving a route table read from a file.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Run the HTTP/HTTPS router on a route table from a JSON file.")

    @Option(help: "Address to listen on.") var host = "0.0.0.0"
    @Option(help: "Plain HTTP port.") var httpPort = 8080
    @Option(help: "HTTPS port (0 for none).") var httpsPort = 8443
    @Option(help: "Admin listener (health, metrics) as HOST:PORT, or 'none'.") var adminListen = "127.0.0.1:5300"
    @Option(help: "A route table (the JSON of GET /v1/router/table).") var routes: String

    func run() async throws {
        let table: RouteTableResource
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: routes))
            table = try APICoding.makeDecoder().decode(RouteTableResource.self, from: data)
        } catch {
            throw ValidationError("Cannot read the route table in \(routes): \(error)")
        }
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
        let router = try Router(configuration: configuration, logger: DaemonLogging.logger())
        router.update(table)
        try await router.run()
    }
}
