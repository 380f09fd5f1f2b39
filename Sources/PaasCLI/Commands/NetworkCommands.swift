import ArgumentParser
import PaasAPI
import PaasClient

/// `paas network`: the other apps an app's processes may open connections to.
struct NetworkList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "List the other apps an app's processes may connect to.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let network = try await global.client().network(app: try app.resolve())
        if output.json { return try Output.json(network) }
        guard !network.reaches.isEmpty else {
            return Output.info(
                "\(network.app)'s processes reach only each other. Let them reach another app's with 'paas network:allow APP'.")
        }
        Table(header: ["Reaches"], rows: network.reaches.map { [$0] }).print()
    }
}

/// `paas network:allow TARGET`: lets an app's processes open connections to another app's.
struct NetworkAllow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network:allow", abstract: "Let an app's processes connect to another app's processes.")

    @Argument(help: "The app to reach (its <type>.<app>.internal names).")
    var target: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let network = try await Output.step("Letting \(name) reach \(target)") {
            try await client.allowNetwork(app: name, to: target)
        }
        if output.json { try Output.json(network) }
    }
}

/// `paas network:deny TARGET`: takes back `network:allow`.
struct NetworkDeny: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network:deny", abstract: "Stop an app's processes from connecting to another app's processes.")

    @Argument(help: "The app it reaches now.")
    var target: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let network = try await Output.step("Stopping \(name) from reaching \(target)") {
            try await client.denyNetwork(app: name, to: target)
        }
        if output.json { try Output.json(network) }
    }
}
