import ArgumentParser
import PaasAPI
import PaasClient

/// `paas addons`: an app's add-ons.
struct AddonsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addons", abstract: "List an app's add-ons.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let addons = try await client.addons(app: name)
        if output.json { return try Output.json(addons) }
        guard !addons.isEmpty else {
            return Output.info("\(name) has no add-ons. Add one with 'paas addons:add mysql' (or postgresql, redis).")
        }
        Table(
            header: ["Name", "Kind", "Config Vars", "Created"],
            rows: addons.map { [$0.name, $0.kind, $0.configVars.joined(separator: ", "), Output.date($0.createdAt)] }
        ).print()
    }
}

/// `paas addons:add KIND [--as NAME]`: a new database for the app, reached through config vars.
struct AddonsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addons:add", abstract: "Add a database (mysql, postgresql or redis) to an app.",
        discussion: "Sets MYSQL_URL, POSTGRES_URL or REDIS_URL (and DATABASE_URL when the app has none) in a new release, and restarts the app.",
        aliases: ["addons:create"])

    @Argument(help: "The kind of add-on: mysql, postgresql or redis.")
    var kind: String
    @Option(name: .customLong("as"), help: ArgumentHelp("The add-on's name (default: one like mysql-shapely-12345).", valueName: "name"))
    var name: String?
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let appName = try app.resolve()
        let addon = try await Output.step("Creating a \(kind) add-on for \(appName)", done: { "v\($0.release ?? 0)" }) {
            try await client.addAddon(app: appName, kind: kind, name: name)
        }
        if output.json { return try Output.json(addon) }
        Output.data(addon.name)
        Output.info("Created \(addon.name) as \(addon.configVars.joined(separator: ", "))")
    }
}

/// `paas addons:info NAME`: one add-on.
struct AddonsInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addons:info", abstract: "Show an add-on.")

    @Argument(help: "The add-on's name.")
    var name: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let addon = try await client.addon(app: try app.resolve(), name: name)
        if output.json { return try Output.json(addon) }
        Output.data("=== \(addon.name)")
        for line in Output.fields([
            ("Kind", addon.kind), ("App", addon.app), ("Config vars", addon.configVars.joined(separator: ", ")),
            ("Created", Output.date(addon.createdAt)),
        ]) {
            Output.data(line)
        }
    }
}

/// `paas addons:remove NAME --confirm APP`: drops the add-on's data for good.
struct AddonsRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addons:remove", abstract: "Remove an add-on and its data.",
        discussion: "Needs --confirm with the app's name. Drops the database and its user, and unsets the add-on's config vars in a new release.",
        aliases: ["addons:destroy"])

    @Argument(help: "The add-on's name.")
    var name: String
    @OptionGroup var app: AppOptions
    @Option(help: ArgumentHelp("The app's name again, to confirm.", valueName: "app"))
    var confirm: String?
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let appName = try app.resolve()
        guard confirm == appName else {
            throw CLIError.usage(
                "This is destructive: re-run with --confirm \(appName)",
                suggestion: "'paas addons:remove \(name) -a \(appName) --confirm \(appName)' drops \(name) and its data for good.")
        }
        let client = try global.client()
        try await Output.step("Removing \(name) from \(appName)") { try await client.removeAddon(app: appName, name: name) }
    }
}
