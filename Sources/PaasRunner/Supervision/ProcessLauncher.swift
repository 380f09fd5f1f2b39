import PaasAPI

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
    func waitForExit() async -> ExitReason
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

    /// Starts the one-off process `request` describes with its standard streams (a terminal of
    /// `terminal`'s size, or pipes) for `body`, and stops it when `body` returns or throws.
    /// Returns once its container is gone.
    func runAttached(
        _ request: ProcessStartRequest, terminal: TerminalSize?, _ body: (AttachedProcess) async throws -> Void
    ) async throws

    /// Lets `app`'s processes open connections to those of the apps in `reaches` (besides their
    /// own app's), from now on.
    func setLinks(app: String, reaches: Set<String>) async throws

    /// The network these processes run on, if they get one of their own.
    var containerNetwork: ContainerNetwork? { get }
}

extension ProcessLauncherFactory {
    /// Processes without a network of their own (tests' launchers) have nothing to link.
    public func setLinks(app: String, reaches: Set<String>) async throws {}

    /// Tests' launchers run their processes without a network of their own.
    public var containerNetwork: ContainerNetwork? { nil }
}
