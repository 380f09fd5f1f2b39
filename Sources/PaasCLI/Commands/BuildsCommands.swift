import ArgumentParser
import PaasAPI
import PaasClient

/// `paas builds`: the app's builds, newest first.
struct BuildsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "builds", abstract: "List an app's builds.")

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let name = try app.resolve()
        let builds = try await global.client().builds(app: name)
        if output.json { return try Output.json(builds) }
        guard !builds.isEmpty else { return Output.info("\(name) has no builds yet. Deploy with 'git push paas main'.") }
        Table(
            header: ["Build", "Status", "Commit", "Release", "By", "Started", "Reason"],
            rows: builds.map {
                [
                    String($0.number), $0.status, String($0.commit.prefix(7)), Output.version($0.releaseVersion), $0.createdBy,
                    Output.date($0.createdAt), $0.failureReason ?? "",
                ]
            }
        ).print()
    }
}

/// `paas builds:output [NUMBER]`: everything a build printed (default: the newest build).
struct BuildsOutput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "builds:output", abstract: "Show a build's output (default: the newest build).")

    @Argument(help: "The build's number, as 'paas builds' lists it.")
    var number: Int?

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        var number = self.number
        if number == nil { number = try await client.builds(app: name).first?.number }
        guard let number else {
            throw CLIError(code: "no_builds", message: "\(name) has no builds yet.", suggestion: "Deploy with 'git push paas main'.")
        }
        let build = try await client.build(app: name, number: number)
        if output.json { return try Output.json(build) }
        Output.data(build.output?.trimmingTrailingNewlines ?? "")
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
