import ArgumentParser
import Foundation
import PaasAPI
import PaasClient

/// `paas ps`: the app's processes, as the runners run them.
struct PsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List an app's processes.")

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let name = try app.resolve()
        let processes = try await global.client().processes(app: name)
        if output.json { return try Output.json(processes) }
        guard !processes.isEmpty else {
            return Output.info("\(name) runs no processes. Deploy with 'git push paas main', then 'paas ps:scale web=1'.")
        }
        Table(
            header: ["Process", "State", "Since", "Release", "IP", "Restarts", "Last exit"],
            rows: processes.sorted { ($0.type, $0.index, $0.release) < ($1.type, $1.index, $1.release) }.map {
                [
                    "\($0.type).\($0.index)", $0.state, Output.date($0.since), "v\($0.release)", $0.ip ?? "-", String($0.restarts),
                    $0.lastExit ?? "-",
                ]
            }
        ).print()
    }
}

/// `paas ps:restart [TYPE]`: restarts the app's processes, or those of one type.
struct PsRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:restart", abstract: "Restart an app's processes (all, or those of one type).")

    @Argument(help: "Only processes of this type (web, worker).")
    var type: String?

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        try await Output.step("Restarting \(type.map { "\($0) processes of " } ?? "")\(name)") {
            try await client.restartProcesses(app: name, type: type)
        }
    }
}

/// `paas logs [-n N] [-t] [-p TYPE] [--json]`: the app's process output and platform events, in
/// the order they were written (each process's lines in its own order, stdout and stderr alike).
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show an app's logs: its processes' output and the platform's events.")

    @Option(name: [.customShort("n"), .customLong("num")], help: "How many of the newest lines.")
    var lines = 100

    @Flag(name: [.customShort("t"), .long], help: "Keep printing new lines as they come (Ctrl-C stops).")
    var tail = false

    @Option(name: [.customShort("p"), .customLong("ps")], help: "Only lines of this process type or process (web, web.1).")
    var process: String?

    @Flag(help: "One JSON object per line: {\"process\", \"source\", \"text\", \"time\"}.")
    var json = false

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        let encoder = APICoding.makeEncoder()
        guard tail else {
            for line in try await client.logs(app: name, lines: lines) {
                if let text = try render(line, encoder: encoder) { Output.data(text) }
            }
            return
        }
        for try await event in try await client.followLogs(app: name, lines: lines) {
            guard let text = try render(event.data, encoder: encoder) else { continue }
            // Unbuffered, so each line shows as it comes, also through a pipe.
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }

    /// `line` as printed (itself, or its JSON object), or nil when it is not of the process asked for.
    private func render(_ line: String, encoder: JSONEncoder) throws -> String? {
        let entry = LogEntry(line: line[...])
        if let process {
            guard let dyno = entry?.process, dyno == process || dyno.hasPrefix(process + ".") else { return nil }
        }
        // On a terminal an app's escape sequences are shown, not obeyed.
        guard json else { return LocalTerminal.isTerminal(STDOUT_FILENO) ? TerminalText.visible(line) : line }
        let object = entry ?? LogEntry(time: "", source: "", process: "", text: line)
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}

/// `paas run [--env K=V]... -- COMMAND...`: a one-off process of the current release; its output
/// is printed as it comes and its exit status becomes the CLI's. On a terminal (or with `--tty`)
/// it is interactive: the process gets a terminal of the same size and the keystrokes; piped
/// standard input is passed on too.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a one-off command in a new process of the app (e.g. migrations).",
        discussion: """
            One argument runs as a shell command line ('paas run -- "echo $PORT"'); several as a program and its arguments.
            When standard input is a terminal the run is interactive ('paas run -- bash'): the process gets a terminal \
            of your window's size, your keystrokes (Ctrl-C included) and exits with its status. Input piped in \
            ('echo hi | paas run -- cat') reaches the process too.
            """)

    @Option(name: [.customShort("e"), .customLong("env")], help: ArgumentHelp("An extra environment variable for this run.", valueName: "K=V"))
    var environment: [String] = []

    @Flag(name: [.customShort("d"), .long], help: "Run in the background; its output goes to 'paas logs'.")
    var detach = false

    @Flag(name: .customLong("tty"), help: "Give the process a terminal even when standard input is not one.")
    var tty = false

    @Flag(name: .customLong("no-tty"), help: "No terminal, even when standard input is one.")
    var noTTY = false

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Argument(parsing: .captureForPassthrough, help: "The command, after '--'.")
    var command: [String] = []

    func run() async throws {
        let command = command.first == "--" ? Array(command.dropFirst()) : command
        guard !command.isEmpty else { throw CLIError.usage("No command given.", suggestion: "paas run -- COMMAND [ARGS...]") }
        var env: [String: String] = [:]
        for pair in environment {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CLIError.usage("'\(pair)' is not K=V.", suggestion: "paas run --env DEBUG=1 -- COMMAND")
            }
            env[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let name = try app.resolve()
        if tty && (noTTY || detach) { throw CLIError.usage("--tty goes with neither --no-tty nor --detach.") }
        if let mode = interactiveMode() { return try await runInteractive(app: name, command: command, env: env, mode: mode) }
        if detach {
            let process = try await Output.step("Running '\(command.joined(separator: " "))' on \(name)", done: { "up, \($0.type).\($0.index)" }) {
                try await global.client().runDetached(app: name, RunRequest(command: command, env: env))
            }
            return Output.info("Run 'paas logs -t -p \(process.type).\(process.index) -a \(name)' to see its output.")
        }
        for try await event in try await global.client().run(app: name, RunRequest(command: command, env: env)) {
            guard event.event == "exit" else {
                FileHandle.standardOutput.write(Data((event.data + "\n").utf8))
                continue
            }
            let exit = try APICoding.makeDecoder().decode(RunExit.self, from: Data(event.data.utf8))
            if exit.status != 0 { Output.info("Process \(exit.reason)") }
            throw ExitCode(exit.status)
        }
        throw CLIError(code: "run_interrupted", message: "The run ended without an exit status (the connection was closed).")
    }
}
