import ArgumentParser
import PaasAPI
import PaasClient

/// `paas domains`: an app's custom domains.
struct DomainsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domains", abstract: "List an app's custom domains.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let domains = try await client.domains(app: name)
        if output.json { return try Output.json(domains) }
        guard !domains.isEmpty else {
            return Output.info("\(name) has no custom domains. Add one with 'paas domains:add HOSTNAME'.")
        }
        Table(header: ["Hostname", "Added"], rows: domains.map { [$0.hostname, Output.date($0.createdAt)] }).print()
    }
}

/// `paas domains:add HOSTNAME`: routes a custom domain to the app.
struct DomainsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domains:add", abstract: "Add a custom domain to an app.")

    @Argument(help: "The host name, e.g. www.example.com or *.example.com.")
    var hostname: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let domain = try await Output.step("Adding \(hostname) to \(name)") {
            try await client.addDomain(app: name, hostname: hostname)
        }
        if output.json { try Output.json(domain) }
    }
}

/// `paas domains:remove HOSTNAME`: stops routing a custom domain to the app.
struct DomainsRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domains:remove", abstract: "Remove a custom domain from an app.")

    @Argument(help: "The host name.")
    var hostname: String
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        try await Output.step("Removing \(hostname) from \(name)") {
            try await client.removeDomain(app: name, hostname: hostname)
        }
    }
}
