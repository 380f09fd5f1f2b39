import ArgumentParser
import PaasAPI
import PaasClient

/// `paas events`: an app's audit trail.
struct EventsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Show an app's audit trail: who did what, when.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let events = try await client.events(app: name)
        if output.json { return try Output.json(events) }
        Table(
            header: ["When", "By", "Action", "Description"],
            rows: events.map { [Output.date($0.createdAt), $0.actor, $0.action, $0.description] }
        ).print()
    }
}
