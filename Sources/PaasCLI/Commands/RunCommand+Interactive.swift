import ArgumentParser
import Foundation
import PaasAPI
import PaasClient

extension RunCommand {
    /// Whether this run is interactive (a terminal) or passes piped standard input on; nil for
    /// the line-based run without input.
    func interactiveMode() -> InteractiveMode? {
        if detach { return nil }
        if tty { return .terminal }
        if !noTTY, LocalTerminal.isTerminal(0) { return .terminal }
        return LocalTerminal.inputIsPipeOrFile ? .pipes : nil
    }

    enum InteractiveMode { case terminal, pipes }

    /// Runs `command` with the user's terminal (raw mode, its size) or piped input; the process's
    /// output is written as it comes; exits with its status.
    func runInteractive(app name: String, command: [String], env: [String: String], mode: InteractiveMode) async throws {
        var env = env
        let terminal = mode == .terminal ? LocalTerminal.size() : nil
        if terminal != nil, env["TERM"] == nil, let term = ProcessInfo.processInfo.environment["TERM"] { env["TERM"] = term }
        let client = try global.client()
        let input = LocalTerminal.inputFrames(watchSize: terminal != nil)
        let frames = try await client.runInteractive(
            app: name, InteractiveRunRequest(command: command, env: env, terminal: terminal), input: input)
        // Raw only once the server has said yes, so that errors before print as usual.
        let raw = mode == .terminal ? LocalTerminal.RawMode() : nil
        defer { raw?.restore() }
        for try await frame in frames {
            switch frame {
            case .output(let bytes):
                LocalTerminal.write(bytes)
            case .exit(let payload):
                raw?.restore()
                let exit = try APICoding.makeDecoder().decode(RunExit.self, from: Data(payload))
                if exit.status != 0 { Output.info("Process \(exit.reason)") }
                throw ExitCode(exit.status)
            default:
                continue
            }
        }
        raw?.restore()
        throw CLIError(code: "run_interrupted", message: "The run ended without an exit status (the connection was closed).")
    }
}
