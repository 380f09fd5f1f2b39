// One build container: its OCI bundle and its life under the OCI runtime (runc).
import FoundationEssentials
import Logging
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// Runs one build container to its end with the OCI runtime, streaming its standard output line
/// by line, and tells how it ended: its exit status, over its time limit, or out of memory.
///
/// The container runs with `runc run --keep`, so that its cgroup outlives its processes long
/// enough to read the memory controller's OOM count; `remove()` then deletes the container and
/// its cgroups. Whatever happens, `run` removes them before it returns or throws.
struct BuildContainer: Sendable {
    /// How the container ended.
    enum Outcome: Sendable, Equatable {
        /// PID 1 (tini) exited with this status (128 + N when killed by signal N).
        case exited(Int32)
        /// The memory cgroup killed a process and the build failed.
        case outOfMemory
        /// The time limit passed and the container was killed.
        case timedOut
    }

    /// What every build container's id starts with; the build id follows.
    static let idPrefix = "paas-build-"

    /// The cgroup of build `buildID`'s container, under each controller's mount.
    static func cgroupsPath(buildID: String) -> String { "/paas/builds/" + buildID }

    /// The runtime's container id, unique on the host.
    let id: String
    /// The OCI runtime's program (`runc`), a name on PATH or a path.
    let runtime: String
    private var driver: ContainerRuntime { ContainerRuntime(program: runtime) }
    /// The bundle directory; `config.json` is written into it.
    let bundle: String
    let configuration: OCIConfiguration
    let logger: Logger

    /// Writes the bundle, runs the container, streams its stdout to `output` and removes the
    /// container and its cgroups afterwards.
    func run(timeLimit: Duration, output: @escaping @Sendable (String) async -> Void) async throws -> Outcome {
        do {
            let outcome = try await start(timeLimit: timeLimit, output: output)
            await removeUncancelled()
            return outcome
        } catch {
            await removeUncancelled()
            throw error
        }
    }

    private func start(timeLimit: Duration, output: @escaping @Sendable (String) async -> Void) async throws -> Outcome {
        try driver.writeBundle(configuration, at: bundle)
        // On cancellation, kill the container: its processes hold the output pipe open, and
        // killing only the runtime's process would leave them running.
        let (code, timedOut) = try await withTaskCancellationHandler {
            try await waitForExit(timeLimit: timeLimit, output: output)
        } onCancel: { [driver, id] in
            Task.detached {
                // Repeated, as the container may still be being created.
                for _ in 0..<10 {
                    try? await driver.kill(id, signal: "KILL")
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        try Task.checkCancellation()
        if timedOut { return .timedOut }
        if code != 0, Cgroups.oomKills(in: cgroupsPath) > 0 { return .outOfMemory }
        return .exited(code)
    }

    /// Runs the container to its end; kills it once the time limit has passed.
    private func waitForExit(
        timeLimit: Duration, output: @escaping @Sendable (String) async -> Void
    ) async throws -> (Int32, timedOut: Bool) {
        enum Event { case exited(Int32), timeLimitPassed, killerStopped }
        return try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask { .exited(try await runRuntime(output: output)) }
            group.addTask {
                try? await Task.sleep(for: timeLimit)
                return Task.isCancelled ? .killerStopped : .timeLimitPassed
            }
            var timedOut = false
            while let event = try await group.next() {
                switch event {
                case .exited(let status):
                    group.cancelAll()
                    return (status, timedOut)
                case .timeLimitPassed:
                    timedOut = true
                    logger.info("build over its time limit; killing the container", metadata: ["container": "\(id)"])
                    group.addTask {
                        // Keep at it: the first kill can come while the runtime is still creating the container.
                        while !Task.isCancelled {
                            try? await driver.kill(id, signal: "KILL")
                            try? await Task.sleep(for: .seconds(1))
                        }
                        return .killerStopped
                    }
                case .killerStopped:
                    continue
                }
            }
            throw CancellationError()
        }
    }

    /// Runs `runtime run` in the foreground and streams the container's stdout; the runtime's
    /// own stderr (its errors; the driver sends everything to stdout) goes to the log.
    private func runRuntime(output: @escaping @Sendable (String) async -> Void) async throws -> Int32 {
        do {
            return try await driver.run(id, bundle: bundle) { [logger, id] stream, line in
                switch stream {
                case .standardOutput:
                    await output(line)
                case .standardError:
                    logger.warning("build container runtime wrote errors", metadata: ["container": "\(id)", "stderr": "\(line)"])
                }
            }
        } catch let error as ContainerError {
            throw BuildError(
                code: BuildError.Code.containerFailed,
                message: "the build container could not run (\(runtime) failed)", cause: error.cause)
        }
    }

    /// The container's cgroup path under each controller's mount.
    var cgroupsPath: String { configuration.linux.cgroupsPath }

    /// Removes the container and its cgroups even when the calling task is cancelled.
    private func removeUncancelled() async {
        await Task.detached { await remove() }.value
    }

    /// Deletes the container (killing what is left of it) and any cgroup directory it left.
    func remove() async {
        await driver.delete(id, logger: logger)
        Cgroups.remove(cgroupsPath, logger: logger)
    }
}
