import ArgumentParser
import PaasAPI
import PaasClient

/// `paas ps:scale TYPE=N…`: sets how many processes of each type run.
struct PsScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:scale",
        abstract: "Scale process types, e.g. 'paas ps:scale web=2 worker=1'.",
        discussion: "Without arguments, prints the formation.")

    @Argument(help: ArgumentHelp("Process type and quantity.", valueName: "type=quantity"))
    var changes: [String] = []
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        _ = try Self.parse(changes)
    }

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let update = try Self.parse(changes)
        let formation: [FormationResource]
        if update.isEmpty {
            formation = try await client.formation(app: name)
        } else {
            let summary = update.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            formation = try await Output.step("Scaling \(name) to \(summary)") { try await client.scale(app: name, update) }
        }
        if output.json { return try Output.json(formation) }
        guard !formation.isEmpty else {
            return Output.info("\(name) has no process types yet. Push code with 'git push paas main', then scale.")
        }
        Table(
            header: ["Type", "Quantity", "Memory", "Command"],
            rows: formation.map { [$0.type, String($0.quantity), $0.memoryMiB.map { "\($0)M" } ?? "default", $0.command ?? "-"] }
        ).print()
    }

    /// `["web=2", "worker=0"]` → `["web": 2, "worker": 0]`; a usage error for anything else.
    static func parse(_ changes: [String]) throws -> FormationUpdate {
        var update: FormationUpdate = [:]
        for change in changes {
            let parts = change.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].allSatisfy(\.isASCII), let quantity = Int(parts[1]), quantity >= 0
            else {
                throw ValidationError("'\(change)' is not TYPE=QUANTITY. Write it like web=2 (a whole number, 0 or more).")
            }
            update[String(parts[0])] = quantity
        }
        return update
    }
}
