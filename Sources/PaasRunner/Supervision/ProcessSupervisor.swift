#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps one process running: starts it, records how each run ended, restarts it after a
/// `RestartBackoff` delay when it ends on its own, and stops it (SIGTERM, grace, SIGKILL) when
/// asked. A process that cannot even be launched counts as a crash too.
public actor ProcessSupervisor {
    /// Where the process stands, as `paas ps` shows it.
    public enum State: String, Sendable {
        case starting, up, crashed, stopped
    }

    /// A snapshot of the process.
    public struct Status: Sendable, Equatable {
        public var state: State
        /// Since when it has been in `state`.
        public var since: Date
        /// How often it was restarted after ending on its own.
        public var restarts: Int
        /// How its last run ended.
        public var lastExit: ExitReason?
        /// Why the last launch failed, when it did.
        public var lastLaunchError: String?
        /// The running process's address on the platform network.
        public var address: String?
    }

    /// What the supervisor reports as it happens (for the logs: `paas[web.1]: exited with 1`).
    public enum Event: Sendable, Equatable {
        case started
        case exited(ExitReason, restartIn: Duration)
        case launchFailed(String, restartIn: Duration)
        case stopped
    }

    private let launcher: any ProcessLauncher
    private var backoff: RestartBackoff
    private let onEvent: @Sendable (Event) -> Void
    private var status: Status
    private var running: (any RunningProcess)?
    private var loop: Task<Void, Never>?
    private var stopping = false
    private var stopGrace: Duration = .seconds(30)

    public init(launcher: any ProcessLauncher, backoff: RestartBackoff = RestartBackoff(), onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.launcher = launcher
        self.backoff = backoff
        self.onEvent = onEvent
        self.status = Status(state: .starting, since: Date(), restarts: 0)
    }

    /// The process's state now.
    public var current: Status { status }

    /// Starts supervising; calling it again does nothing.
    public func start() {
        guard loop == nil, !stopping else { return }
        loop = Task { await self.superviseUntilStopped() }
    }

    /// Stops the process and the supervision; waits until the process has ended.
    public func stop(grace: Duration) async {
        stopping = true
        stopGrace = grace
        loop?.cancel()
        if let running { await running.stop(grace: grace) }
        await loop?.value
        loop = nil
        if status.state != .stopped {
            set(.stopped)
            onEvent(.stopped)
        }
    }

    private func superviseUntilStopped() async {
        while !stopping {
            set(.starting)
            let started = ContinuousClock.now
            let delay: Duration
            do {
                let process = try await launcher.launch()
                // A stop that came while launching finds no process to stop: stop it here.
                guard !stopping else {
                    await process.stop(grace: stopGrace)
                    return
                }
                running = process
                status.address = process.address
                set(.up)
                status.lastLaunchError = nil
                onEvent(.started)
                let exit = await process.waitForExit()
                running = nil
                status.address = nil
                guard !stopping else { return }
                status.lastExit = exit
                delay = backoff.crashed(after: ContinuousClock.now - started)
                onEvent(.exited(exit, restartIn: delay))
            } catch {
                guard !stopping else { return }
                status.lastLaunchError = "\(error)"
                delay = backoff.crashed(after: .zero)
                onEvent(.launchFailed("\(error)", restartIn: delay))
            }
            set(.crashed)
            status.restarts += 1
            try? await Task.sleep(for: delay)
        }
    }

    private func set(_ state: State) {
        status.state = state
        status.since = Date()
    }
}
