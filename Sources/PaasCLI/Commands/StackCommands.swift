import Foundation
import ArgumentParser
import PaasAPI
import PaasClient

/// `paas stack`: the platform's stacks, `*` on the app's.
struct StackList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack", abstract: "List the platform's stacks, marking the app's with '*'.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = app.resolveIfPossible()
        let list = try await client.stacks()
        var current: String?
        if let name { current = try await client.app(name).stack }
        if output.json { return try Output.json(list) }
        Output.data(name.map { "=== \($0) Available Stacks" } ?? "=== Available Stacks")
        for line in StackFormat.lines(list, current: current) { Output.data(line) }
    }
}

/// `paas stack:set NAME`: the stack the app's next build uses.
struct StackSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack:set", abstract: "Set the stack of the app's next build.",
        discussion: "The running release keeps its stack; the next 'git push' builds and releases on the new one.")

    @Argument(help: ArgumentHelp("The stack, e.g. trixie ('paas stack' lists them).", valueName: "stack"))
    var stack: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let name = try app.resolve()
        let updated = try await Output.step("Setting stack to \(stack)") {
            try await client.updateApp(name, AppUpdateRequest(stack: stack))
        }
        if output.json { return try Output.json(updated) }
        Output.info(
            "Next build of \(updated.name) will use \(updated.stack). Run 'git push \(GitRemote.defaultName) main' to create a new release on \(updated.stack).")
    }
}

/// How stacks read in `paas stack`.
enum StackFormat {
    /// `* trixie  (default)  python 3.13.5, go 1.24.4, node 20.19.2`, one line per stack.
    static func lines(_ stacks: [StackResource], current: String?) -> [String] {
        let width = stacks.map(\.name.count).max() ?? 0
        return stacks.map { stack in
            let mark = stack.name == current ? "*" : " "
            let name = stack.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let versions = ["python", "go", "node"].compactMap { tool in stack.versions[tool].map { "\(tool) \($0)" } }
            var line = "\(mark) \(name)"
            line += stack.default ? "  (default)" : "           "
            if !versions.isEmpty { line += "  " + versions.joined(separator: ", ") }
            return line.trimmingTrailingSpaces
        }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
