#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import Synchronization

/// One run of a server process: spawned in the foreground, its exit awaited by a task of its own.
final class ServerRun: Sendable {
    /// The server's process id (setpriv execs, so this is the server itself).
    let processID: pid_t
    /// When it was spawned.
    let startedAt: ContinuousClock.Instant
    private let exit: Task<String, Never>
    private let exited: ExitFlag

    private init(processID: pid_t, exit: Task<String, Never>, exited: ExitFlag) {
        self.processID = processID
        self.startedAt = .now
        self.exit = exit
        self.exited = exited
    }

    /// Spawns the server with its output discarded (each server writes its own log file).
    static func spawn(_ launch: ServerLaunch) async throws -> ServerRun {
        let (program, arguments) = launch.commandLine
        let (processIDs, continuation) = AsyncStream<pid_t>.makeStream()
        let exited = ExitFlag()
        let exit = Task<String, Never> {
            defer { exited.set() }
            do {
                let result = try await Subprocess.run(
                    .path(.init(program)), arguments: Arguments(arguments), environment: .custom(launch.environment),
                    workingDirectory: "/",
                    input: .none, output: .discarded, error: .discarded
                ) { execution in
                    continuation.yield(execution.processIdentifier.value)
                    continuation.finish()
                }
                return switch result.terminationStatus {
                case .exited(let code): "exited with status \(code)"
                case .signaled(let signal): "killed by signal \(signal)"
                }
            } catch {
                continuation.finish()
                return "could not start: \(error)"
            }
        }
        var iterator = processIDs.makeAsyncIterator()
        guard let processID = await iterator.next() else {
            throw ServerFailure(reason: await exit.value)
        }
        return ServerRun(processID: processID, exit: exit, exited: exited)
    }

    /// Whether the process has ended.
    var hasExited: Bool { exited.isSet }

    /// Waits until the process has ended; says how it ended.
    func waitForExit() async -> String { await exit.value }

    /// Sends `launch.stopSignal`, then SIGKILL after `launch.stopTimeout`, and waits until it ended.
    func terminate(_ launch: ServerLaunch) async {
        guard !hasExited else { return }
        kill(processID, launch.stopSignal)
        let deadline = ContinuousClock.now + launch.stopTimeout
        while !hasExited && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if !hasExited { kill(processID, SIGKILL) }
        _ = await exit.value
    }
}

/// Why a server did not come up, or what went wrong with its files.
struct ServerFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// Set once the process has ended; read from any task.
private final class ExitFlag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
