import ArgumentParser
import PaasAPI
import PaasClient

/// `paas apps`: lists the apps.
struct AppsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apps", abstract: "List your apps.")

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let apps = try await global.client().apps()
        if output.json { return try Output.json(apps) }
        guard !apps.isEmpty else {
            return Output.info("You have no apps. Create one with 'paas apps:create [NAME]'.")
        }
        Table(
            header: ["Name", "Current release", "Created"],
            rows: apps.map { [$0.name, Output.version($0.currentRelease), Output.date($0.createdAt)] }
        ).print()
    }
}

/// `paas apps:create [NAME]`: creates an app and, inside a git work tree, its `paas` remote.
struct AppsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps:create",
        abstract: "Create an app (with a random name when none is given).",
        discussion: "Inside a git work tree, also adds (or updates) the git remote 'paas' to push to.")

    @Argument(help: "The app's name: lowercase letters, digits and dashes, starting with a letter.")
    var name: String?

    @Option(help: "The stack its builds use (default: the platform's default stack; 'paas stack' lists them).")
    var stack: String?

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let client = try global.client()
        let app = try await Output.step("Creating \(name ?? "app")", done: { (app: AppResource) in name == nil ? app.name : nil }) {
            try await client.createApp(name: name, stack: stack)
        }
        if output.json { try Output.json(app) } else { Output.data("\(app.webURL) | \(app.gitURL)") }
        if GitRemote.isInsideWorkTree() {
            let added = try GitRemote.setURL(app.gitURL, named: GitRemote.defaultName)
            try GitRemote.useCredentialHelper(forRemoteURL: app.gitURL)
            Output.info("Git remote \(GitRemote.defaultName) \(added ? "added" : "updated")")
        }
    }
}

/// `paas apps:info`: an app's URLs, release, formation and domains.
struct AppsInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apps:info", abstract: "Show an app's details.")

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        if output.json { return try Output.json(try await client.app(name)) }
        async let resource = client.app(name)
        async let formation = client.formation(app: name)
        async let domains = client.domains(app: name)
        let info = try await resource
        let processes = try await formation.map { "\($0.type)=\($0.quantity)" }.joined(separator: " ")
        let hostnames = try await domains.map(\.hostname).joined(separator: ", ")
        Output.data("=== \(info.name)")
        for line in Output.fields([
            ("Web URL", info.webURL),
            ("Git URL", info.gitURL),
            ("Release", Output.version(info.currentRelease)),
            ("Stack", info.stack),
            ("Formation", processes.isEmpty ? "-" : processes),
            ("Domains", hostnames.isEmpty ? "-" : hostnames),
            ("Processes", info.settings.stopped ? "stopped (run 'paas ps:start')" : "running"),
            ("Boot timeout", info.settings.bootTimeoutSeconds.map { "\($0) s" } ?? "platform default (60 s)"),
            ("Stop timeout", info.settings.stopTimeoutSeconds.map { "\($0) s" } ?? "platform default (30 s)"),
            ("Created", Output.date(info.createdAt)),
        ]) {
            Output.data(line)
        }
    }
}

/// `paas apps:destroy --confirm APP`: deletes an app for good.
struct AppsDestroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps:destroy",
        abstract: "Destroy an app, its releases, config and domains.",
        discussion: "Needs --confirm with the app's name. Removes the 'paas' git remote if it points at the app.")

    @OptionGroup var app: AppOptions
    @Option(help: ArgumentHelp("The app's name again, to confirm.", valueName: "app"))
    var confirm: String?

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        // With no other source, the confirmation names the app: `paas apps:destroy --confirm NAME`.
        let resolved = app.resolveIfPossible() ?? confirm
        guard let confirm, let name = resolved, confirm == name else {
            let shown = resolved ?? "APP"
            throw CLIError.usage(
                "This is destructive: re-run with --confirm \(shown)",
                suggestion: "'paas apps:destroy -a \(shown) --confirm \(shown)' deletes \(shown), its releases, config and domains for good.")
        }
        let client = try global.client()
        try await Output.step("Destroying \(name)") { try await client.destroyApp(name) }
        if let url = GitRemote.url(named: GitRemote.defaultName), GitRemote.appName(fromURL: url) == name {
            try GitRemote.remove(named: GitRemote.defaultName)
            Output.info("Git remote \(GitRemote.defaultName) removed")
        }
    }
}
