import PaasAPI

/// How one run of a process ended, in the words `paas ps` shows.
public enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    /// The process exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)
    /// The kernel killed it for going over its memory limit.
    case outOfMemory

    public var description: String {
        switch self {
        case .exited(let status): "exited with \(status)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .outOfMemory: "out of memory"
        }
    }
}

/// Starts one run of a process; the supervisor asks again for each restart.
public protocol ProcessLauncher: Sendable {
    /// Starts the process; returns once it runs.
    func launch() async throws -> any RunningProcess
}

/// A process that runs now.
public protocol RunningProcess: Sendable {
    /// Its address on the platform network, if it has one.
    var address: String? { get }
    /// Waits until the process has ended and everything it held is released.
    func waitForExit() async -> ProcessExit
    /// Asks it to stop (SIGTERM), kills it after `grace` (SIGKILL), and waits until it has ended.
    func stop(grace: Duration) async
}

extension RunningProcess {
    public var address: String? { nil }
}

/// Makes the launcher of each process a runner starts: containers on a real host.
public protocol ProcessLauncherFactory: Sendable {
    /// The launcher for `request`, whose processes hand each line they print to `output`.
    func launcher(for request: ProcessStartRequest, output: @escaping @Sendable (String) -> Void) async throws
        -> any ProcessLauncher
}
