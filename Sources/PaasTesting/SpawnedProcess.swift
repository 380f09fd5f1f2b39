#if canImport(Glibc)
import Glibc
#endif

/// A long-running program a test starts in the background (a server, `paasd`), with its
/// standard output and error in a log file, and ends by PID.
///
/// Waiting for it never holds a thread: a test blocked in `waitpid` or `usleep` takes one of
/// the few threads every test's tasks run on (two on a two-core machine), and the others' timers
/// and answers stall behind it.
public struct SpawnedProcess: Sendable {
    /// The process id.
    public let pid: pid_t

    /// Starts `program` with `arguments`, standard input from /dev/null, standard output and
    /// error to `log` (created with `logMode`).
    public static func start(_ program: String, _ arguments: [String], log: String, logMode: mode_t = 0o644) throws
        -> SpawnedProcess
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, logMode)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard result == 0 else { throw TestFailure("Cannot start \(program): \(String(cString: strerror(result)))") }
        return SpawnedProcess(pid: pid)
    }

    /// How it ended if it has (and reaps it): its exit status, 128 + N when killed by signal N,
    /// -1 when it was reaped before. Nil while it runs.
    public func exitStatus() -> Int32? {
        var status: Int32 = 0
        switch waitpid(pid, &status, WNOHANG) {
        case 0: return nil
        case pid: break
        default: return -1
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Sends `signal` and waits up to `grace` for the process to end; SIGKILLs it if it has not.
    /// Returns its exit status (as `exitStatus`) and whether it had to be killed.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async -> (status: Int32, killed: Bool) {
        kill(pid, signal)
        if let status = await exit(within: grace) { return (status, false) }
        kill(pid, SIGKILL)
        // A SIGKILLed process ends as soon as the kernel gets to it.
        while true {
            if let status = await exit(within: .seconds(60)) { return (status, true) }
        }
    }

    /// Its exit status once it ends within `limit`, polled every 20 ms; nil if it still runs.
    private func exit(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let status = exitStatus() { return status }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
