import ArgumentParser
import Foundation
import PaasAPI
import PaasClient

/// `paas config`: an app's config vars, as `KEY: value` lines, shell assignments or JSON.
struct ConfigList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show an app's config vars.")

    @OptionGroup var app: AppOptions
    @Flag(help: "Print KEY=value lines, quoted for a POSIX shell.")
    var shell = false
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        if shell && output.json { throw ValidationError("Pass --shell or --json, not both.") }
    }

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let config = try await client.config(app: name)
        if output.json { return try Output.json(config) }
        let sorted = config.sorted { $0.key < $1.key }
        if shell {
            for (key, value) in sorted { Output.data("\(key)=\(ConfigVarFormat.shellQuoted(value))") }
            return
        }
        guard !sorted.isEmpty else { return Output.info("\(name) has no config vars. Set some with 'paas config:set KEY=VALUE'.") }
        Output.data("=== \(name) Config Vars")
        for line in Output.fields(sorted.map { ($0.key, $0.value) }) { Output.data(line) }
    }
}

/// `paas config:get KEY`: one config var's bare value.
struct ConfigGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config:get", abstract: "Print one config var's value.")

    @Argument(help: "The config var's name.")
    var key: String
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        guard let value = try await client.config(app: name)[key] else {
            throw CLIError(
                code: "config_var_not_set", message: "Config var \(key) is not set on \(name).",
                suggestion: "Run 'paas config -a \(name)' to list them.")
        }
        Output.data(value)
    }
}

/// `paas config:set KEY=VALUE…`: sets config vars in one new release.
struct ConfigSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config:set", abstract: "Set config vars (one new release for all of them).")

    @Argument(help: ArgumentHelp("Assignments; the value is everything after the first '='.", valueName: "key=value"))
    var assignments: [String] = []
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        _ = try ConfigVarFormat.parseAssignments(assignments)
    }

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let values = try ConfigVarFormat.parseAssignments(assignments)
        let keys = values.map(\.key)
        let update = ConfigVarsUpdate(values.map { ($0.key, Optional($0.value)) }, uniquingKeysWith: { _, last in last })
        let config = try await Output.step(
            "Setting \(ConfigVarFormat.list(keys)) and restarting \(name)", done: { $0.1 }
        ) {
            let config = try await client.updateConfig(app: name, update)
            return (config, try await newestVersion(of: name, client: client))
        }.0
        if output.json { return try Output.json(config) }
        let shown = Set(keys).sorted().map { ($0, config[$0] ?? "") }
        for line in Output.fields(shown) { Output.data(line) }
    }
}

/// `paas config:unset KEY…`: removes config vars in one new release.
struct ConfigUnset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config:unset", abstract: "Unset config vars (one new release for all of them).")

    @Argument(help: ArgumentHelp("The config vars' names.", valueName: "key"))
    var keys: [String] = []
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        guard !keys.isEmpty else { throw ValidationError("Name at least one config var, e.g. 'paas config:unset FOO'.") }
        if let bad = keys.first(where: { $0.isEmpty || $0.contains("=") }) {
            throw ValidationError("'\(bad)' is not a config var name. config:unset takes names, not KEY=VALUE.")
        }
    }

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let update = ConfigVarsUpdate(keys.map { ($0, String?.none) }, uniquingKeysWith: { first, _ in first })
        let config = try await Output.step(
            "Unsetting \(ConfigVarFormat.list(keys)) and restarting \(name)", done: { $0.1 }
        ) {
            let config = try await client.updateConfig(app: name, update)
            return (config, try await newestVersion(of: name, client: client))
        }.0
        if output.json { try Output.json(config) }
    }
}

/// The version of the app's newest release, as `vN`: the config-vars API answers with the config
/// only, so the release it made is looked up afterwards.
func newestVersion(of app: String, client: ControllerClient) async throws -> String {
    Output.version(try await client.releases(app: app).map(\.version).max())
}

/// Parsing and printing of config vars on the command line.
enum ConfigVarFormat {
    /// `["A=1", "B=x=y"]` → `[("A", "1"), ("B", "x=y")]`; a usage error for anything not `KEY=VALUE`.
    static func parseAssignments(_ arguments: [String]) throws -> [(key: String, value: String)] {
        guard !arguments.isEmpty else {
            throw ValidationError("Give at least one KEY=VALUE, e.g. 'paas config:set FOO=bar'.")
        }
        return try arguments.map { argument in
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw ValidationError("'\(argument)' is not KEY=VALUE. Write it like FOO=bar (quote values with spaces).")
            }
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
    }

    /// `A, B, C` (Heroku's "Setting A, B and restarting…"), duplicates dropped, order kept.
    static func list(_ keys: [String]) -> String {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    /// `value` as a POSIX shell word: unchanged when safe, else single-quoted.
    static func shellQuoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./:@%+,".unicodeScalars.contains($0)
        }
        if safe && !value.isEmpty { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
