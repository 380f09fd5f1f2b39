#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI

/// One-off processes (`paas run`): started once, never restarted, their output handed to the
/// caller (and the app's log) as it comes, ending with how they ended.
extension Runner {
    /// What a one-off process produces.
    public enum RunOutput: Sendable, Equatable {
        /// A line it printed.
        case line(String)
        /// How it ended; always the last element.
        case exit(ExitReason)
    }

    /// Starts `request` (its `command`) once; the stream ends with `.exit`. Stopping to read the
    /// stream stops the process.
    public func run(_ request: ProcessStartRequest) async throws -> AsyncStream<RunOutput> {
        let (stream, stop) = try await launchOneOff(request)
        return AsyncStream { continuation in
            let forward = Task {
                for await output in stream { continuation.yield(output) }
                continuation.finish()
            }
            continuation.onTermination = { reason in
                guard case .cancelled = reason else { return }
                forward.cancel()
                Task { await stop() }
            }
        }
    }

    /// Starts a one-off process; returns its output and a function that stops it and returns once
    /// it has ended and its container is gone.
    private func launchOneOff(
        _ request: ProcessStartRequest
    ) async throws -> (AsyncStream<RunOutput>, stop: @Sendable () async -> Void) {
        try Self.validate(request)
        guard request.command?.isEmpty == false else {
            throw RunnerError(code: "invalid_run", message: "A one-off run needs a command.", kind: .invalid)
        }
        let logs = self.logs
        let app = request.app
        let dyno = request.dyno
        let (stream, continuation) = AsyncStream<RunOutput>.makeStream(bufferingPolicy: .unbounded)
        // The app's log gets the lines too, in order, through one consumer.
        let (logLines, logContinuation) = AsyncStream<LogLine>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        Task { for await line in logLines { try? await logs.append(line, app: app) } }
        let launcher = try await factory.launcher(for: request) { text in
            continuation.yield(.line(text))
            logContinuation.yield(LogLine(time: Date(), source: "app", dyno: dyno, text: text))
        }
        logContinuation.yield(LogLine(time: Date(), source: "paas", dyno: dyno, text: "Starting one-off process (v\(request.release))"))
        let process: any RunningProcess
        do {
            process = try await launcher.launch()
        } catch {
            logContinuation.finish()
            continuation.yield(.exit(.startFailed("\(error)")))
            continuation.finish()
            return (stream, {})
        }
        let waiter = Task {
            let exit = await process.waitForExit()
            logContinuation.yield(LogLine(time: Date(), source: "paas", dyno: dyno, text: "Process \(exit)"))
            logContinuation.finish()
            continuation.yield(.exit(exit))
            continuation.finish()
        }
        return (stream, {
            await process.stop(grace: .seconds(2))
            await waiter.value
        })
    }
}

/// A one-off process started with `--detach`, read to its end by the runner itself.
struct DetachedRun: Sendable {
    var request: ProcessStartRequest
    var since: Date
    /// Reads the run's output (which goes to the app's log) to its end.
    var reader: Task<Void, Never>
    /// Stops the process; returns once its container is gone.
    var stop: @Sendable () async -> Void

    var resource: ProcessResource {
        ProcessResource(
            id: request.processID, app: request.app, release: request.release, type: request.type, index: request.index,
            state: "up", since: since, restarts: 0, lastExit: nil, ip: nil,
            memoryMiB: request.memoryMiB ?? RunContainerSpec.defaultMemoryMiB)
    }
}

extension Runner {
    /// Starts `request` (its `command`) once in the background (`paas run --detach`): its output
    /// goes to the app's log, it is listed with the app's processes until it ends, and stopping it
    /// stops the process.
    public func runDetached(_ request: ProcessStartRequest) async throws -> ProcessResource {
        let (outputs, stop) = try await launchOneOff(request)
        let id = request.processID
        let reader = Task {
            for await _ in outputs {}
            self.forgetDetachedRun(id)
        }
        let run = DetachedRun(request: request, since: Date(), reader: reader, stop: stop)
        detachedRuns[id] = run
        return run.resource
    }

    private func forgetDetachedRun(_ id: String) {
        detachedRuns[id] = nil
    }
}

extension ExitReason {
    /// The status a shell would report for this end: the exit status, 128 + N for signal N, 137
    /// for an out-of-memory kill, 126 when it could not start.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let status): status
        case .killed(let signal): 128 + signal
        case .outOfMemory: 137
        case .startFailed: 126
        }
    }
}
