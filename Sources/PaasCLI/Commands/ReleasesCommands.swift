import ArgumentParser
import PaasAPI
import PaasClient

/// A release version on the command line: `v3` or `3`.
struct ReleaseVersion: ExpressibleByArgument, Sendable, Equatable {
    var number: Int

    init?(argument: String) {
        let digits = argument.hasPrefix("v") ? String(argument.dropFirst()) : argument
        guard let number = Int(digits), number > 0, digits.allSatisfy(\.isNumber) else { return nil }
        self.number = number
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// `paas releases`: an app's releases, newest first.
struct ReleasesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "releases", abstract: "List an app's releases, newest first.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let releases = try await client.releases(app: name).sorted { $0.version > $1.version }
        if output.json { return try Output.json(releases) }
        Table(
            header: ["Version", "Status", "Description", "Stack", "By", "Created"],
            rows: releases.map { release in
                [Output.version(release.version), ReleaseFormat.status(release), release.description, release.stack ?? "-",
                 release.createdBy, Output.date(release.createdAt)]
            }
        ).print()
    }
}

/// `paas releases:info [vN]`: one release (default: the current one) with its config vars.
struct ReleasesInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases:info", abstract: "Show a release (default: the current one) and its config vars.")

    @Argument(help: ArgumentHelp("The release, as v3 or 3.", valueName: "version"))
    var version: ReleaseVersion?
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let release: ReleaseResource
        if let version {
            release = try await client.release(app: name, version: version.number)
        } else {
            guard let current = try await client.releases(app: name).first(where: \.current) else {
                throw CLIError(
                    code: "no_current_release", message: "\(name) has no current release.",
                    suggestion: "Run 'paas releases -a \(name)' to list its releases.")
            }
            release = current
        }
        if output.json { return try Output.json(release) }
        Output.data("=== Release \(Output.version(release.version))")
        var fields = [
            ("Description", release.description),
            ("Status", ReleaseFormat.status(release)),
            ("By", release.createdBy),
            ("Created", Output.date(release.createdAt)),
            ("Slug", release.slugID ?? "-"),
            ("Stack", release.stack ?? "-"),
            ("Process types", release.processTypes.isEmpty ? "-" : release.processTypes.keys.sorted().joined(separator: ", ")),
        ]
        if let reason = release.statusReason { fields.insert(("Reason", reason), at: 2) }
        for line in Output.fields(fields) { Output.data(line) }
        Output.data("")
        Output.data("=== \(Output.version(release.version)) Config Vars")
        if release.config.isEmpty { Output.data("(none)") }
        for line in Output.fields(release.config.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) {
            Output.data(line)
        }
    }
}

/// `paas rollback [vN]`: a new release with an earlier release's slug and config.
struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back to an earlier release (default: the one before the current).",
        discussion: "Creates a new release with that release's code and config vars; nothing is rebuilt.")

    @Argument(help: ArgumentHelp("The release to go back to, as v3 or 3.", valueName: "version"))
    var version: ReleaseVersion?
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let target = version.map { " to \(Output.version($0.number))" } ?? ""
        let release = try await Output.step(
            "Rolling back \(name)\(target)",
            done: { (release: ReleaseResource) in
                let version = Output.version(release.version)
                return target.isEmpty ? "\(version) (\(release.description))" : version
            }
        ) {
            try await client.rollback(app: name, to: version?.number)
        }
        if output.json { try Output.json(release) }
    }
}

/// How releases read in listings.
enum ReleaseFormat {
    /// `succeeded`, `failed`, `pending`, with ` (current)` for the release the app serves.
    static func status(_ release: ReleaseResource) -> String {
        release.current ? "\(release.status) (current)" : release.status
    }
}
