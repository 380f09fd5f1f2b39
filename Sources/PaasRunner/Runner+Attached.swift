#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI

/// Interactive one-off processes (`paas run -- bash`): the caller holds the process's terminal
/// (or pipes). Only their start and end go to the app's log, not what passes through the
/// terminal, which may hold passwords typed at a prompt.
extension Runner {
    /// Checks an interactive run before it starts, so that a bad request fails with its status.
    public nonisolated func validateAttached(_ request: InteractiveProcessRequest) throws {
        try Self.validate(request.process)
        guard request.process.command?.isEmpty == false else {
            throw RunnerError(code: "invalid_run", message: "A one-off run needs a command.", kind: .invalid)
        }
        if let terminal = request.terminal, !terminal.isValid {
            throw RunnerError(code: "invalid_terminal", message: "A terminal needs 1 to 65535 rows and columns.", kind: .invalid)
        }
    }

    /// Starts `request`'s process with its standard streams for `body` and stops it when `body`
    /// returns or throws; returns once its container is gone.
    public nonisolated func runAttached(_ request: InteractiveProcessRequest, _ body: (AttachedProcess) async throws -> Void) async throws {
        try validateAttached(request)
        let process = request.process
        let mode = request.terminal == nil ? "without a terminal" : "on a terminal"
        try? await logs.append(
            LogLine(time: Date(), source: "paas", dyno: process.dyno, text: "Starting interactive one-off process \(mode) (v\(process.release))"),
            app: process.app)
        defer {
            Task { [logs] in
                try? await logs.append(
                    LogLine(time: Date(), source: "paas", dyno: process.dyno, text: "Interactive process ended"), app: process.app)
            }
        }
        try await factory.runAttached(process, terminal: request.terminal, body)
    }
}
