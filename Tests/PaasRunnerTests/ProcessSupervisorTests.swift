import PaasRunner
import PaasTesting
import Synchronization
import Testing

/// A launcher whose processes end when the test says so, recording what the supervisor did.
final class ScriptedLauncher: ProcessLauncher {
    /// How each launch ends: nil runs until stopped.
    private let plan: Mutex<[ExitReason?]>
    private let failLaunches: Mutex<Int>
    let launches = Mutex(0)
    let stops = Mutex<[Duration]>([])

    init(exits: [ExitReason?], failingFirstLaunches: Int = 0) {
        plan = Mutex(exits)
        failLaunches = Mutex(failingFirstLaunches)
    }

    func launch() async throws -> any RunningProcess {
        launches.withLock { $0 += 1 }
        if failLaunches.withLock({ remaining in remaining > 0 ? { remaining -= 1; return true }() : false }) {
            throw RunnerError(code: "launch_failed", message: "no such image")
        }
        let exit = plan.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        return ScriptedProcess(exit: exit, launcher: self)
    }
}

struct ScriptedProcess: RunningProcess {
    let exit: ExitReason?
    let launcher: ScriptedLauncher
    private let ended = AsyncStream<ExitReason>.makeStream()

    init(exit: ExitReason?, launcher: ScriptedLauncher) {
        self.exit = exit
        self.launcher = launcher
        if let exit { ended.continuation.yield(exit) }
    }

    func waitForExit() async -> ExitReason {
        for await exit in ended.stream { return exit }
        return .killed(signal: 15)
    }

    func stop(grace: Duration) async {
        launcher.stops.withLock { $0.append(grace) }
        ended.continuation.yield(.killed(signal: 15))
    }
}

@Suite(.tags(.small))
struct ProcessSupervisorTests {
    static let fast = RestartBackoff(initialDelay: .milliseconds(5), maximumDelay: .milliseconds(40), resetAfter: .seconds(60))

    /// Polls `condition` (the supervisor works in its own task) until it holds; false only when
    /// `PaasTesting.eventually`'s hang guard gave up.
    private func eventually(_ condition: () async -> Bool) async -> Bool {
        (try? await PaasTesting.eventually("the condition", interval: .milliseconds(10)) { await condition() ? true : nil }) ?? false
    }

    @Test func aCrashedProcessIsRestartedAndItsExitRecorded() async throws {
        let launcher = ScriptedLauncher(exits: [.exited(status: 1), .outOfMemory, nil])
        let events = Mutex<[ProcessSupervisor.Event]>([])
        let supervisor = ProcessSupervisor(launcher: launcher, backoff: Self.fast) { event in events.withLock { $0.append(event) } }
        await supervisor.start()
        #expect(await eventually {
            let status = await supervisor.current
            return status.restarts == 2 && status.state == .up
        })
        let status = await supervisor.current
        #expect(status.lastExit == .outOfMemory)
        #expect(launcher.launches.withLock { $0 } == 3)
        #expect(events.withLock { $0 } == [
            .started, .exited(.exited(status: 1), restartIn: .milliseconds(5)),
            .started, .exited(.outOfMemory, restartIn: .milliseconds(10)),
            .started,
        ])
        await supervisor.stop(grace: .seconds(7))
        #expect(await supervisor.current.state == .stopped)
        #expect(launcher.stops.withLock { $0 } == [.seconds(7)], "stop hands its grace period to the process")
        #expect(events.withLock { $0.last } == .stopped)
    }

    @Test func launchFailuresAreRetriedWithBackoff() async throws {
        let launcher = ScriptedLauncher(exits: [nil], failingFirstLaunches: 2)
        let supervisor = ProcessSupervisor(launcher: launcher, backoff: Self.fast)
        await supervisor.start()
        #expect(await eventually { await supervisor.current.state == .up })
        let status = await supervisor.current
        #expect(status.restarts == 2)
        #expect(status.lastLaunchError == nil, "a successful launch clears the error")
        await supervisor.stop(grace: .seconds(1))
        #expect(launcher.launches.withLock { $0 } == 3)
    }

    @Test func aStoppedSupervisorNeverRestarts() async throws {
        let launcher = ScriptedLauncher(exits: [nil])
        let supervisor = ProcessSupervisor(launcher: launcher, backoff: Self.fast)
        await supervisor.start()
        #expect(await eventually { await supervisor.current.state == .up })
        await supervisor.stop(grace: .seconds(1))
        await supervisor.start()
        try await Task.sleep(for: .milliseconds(100))
        #expect(launcher.launches.withLock { $0 } == 1)
        #expect(await supervisor.current.state == .stopped)
    }
}
