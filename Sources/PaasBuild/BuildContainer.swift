// One build container: its OCI bundle and its life under the OCI runtime (runc).
import FoundationEssentials
import Logging
import PaasSupport
import Subprocess

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

    /// The runtime's container id, unique on the host.
    let id: String
    /// The OCI runtime's program (`runc`), a name on PATH or a path.
    let runtime: String
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
        try writeBundle()
        // On cancellation, kill the container: its processes hold the output pipe open, and
        // killing only the runtime's process would leave them running.
        let (status, timedOut) = try await withTaskCancellationHandler {
            try await waitForExit(timeLimit: timeLimit, output: output)
        } onCancel: { [runtime, id] in
            Task.detached {
                // Repeated, as the container may still be being created.
                for _ in 0..<10 {
                    _ = try? await Command.run(runtime, ["kill", id, "KILL"])
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        try Task.checkCancellation()
        if timedOut { return .timedOut }
        let code: Int32
        switch status {
        case .exited(let value): code = value
        case .signaled(let signal): code = 128 + signal
        }
        if code != 0, oomKills() > 0 { return .outOfMemory }
        return .exited(code)
    }

    /// Runs the container to its end; kills it once the time limit has passed.
    private func waitForExit(
        timeLimit: Duration, output: @escaping @Sendable (String) async -> Void
    ) async throws -> (TerminationStatus, timedOut: Bool) {
        enum Event { case exited(TerminationStatus), timeLimitPassed, killerStopped }
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
                            _ = try? await Command.run(runtime, ["kill", id, "KILL"])
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

    private func writeBundle() throws {
        try HostFiles.makeDirectory(bundle, mode: 0o700)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(configuration)
        } catch {
            throw BuildError(code: BuildError.Code.containerFailed, message: "cannot encode the OCI configuration", cause: error)
        }
        try HostFiles.write(String(decoding: data, as: UTF8.self), to: bundle + "/config.json", mode: 0o600)
    }

    /// Runs `runtime run` in the foreground and streams the container's stdout; the runtime's
    /// own stderr (its errors; the driver sends everything to stdout) goes to the log.
    private func runRuntime(output: @escaping @Sendable (String) async -> Void) async throws -> TerminationStatus {
        let executable: Executable = runtime.hasPrefix("/") ? .path(.init(runtime)) : .name(runtime)
        let result: ExecutionResult<Void, SequenceOutput, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                executable, arguments: ["run", "--keep", "--bundle", bundle, id],
                input: .none, output: .sequence, error: .string(limit: 1 << 16)
            ) { execution in
                var lines = LineSplitter()
                for try await chunk in execution.standardOutput {
                    for line in chunk.withUnsafeBytes({ lines.append($0) }) { await output(line) }
                }
                if let last = lines.finish() { await output(last) }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw BuildError(
                code: BuildError.Code.containerFailed,
                message: "the build container could not run (\(runtime) failed)", cause: error)
        }
        let errors = result.standardError.trimmed
        if !errors.isEmpty {
            logger.warning("build container runtime wrote errors", metadata: ["container": "\(id)", "stderr": "\(errors)"])
        }
        return result.terminationStatus
    }

    /// How many processes the memory cgroup's OOM killer killed (cgroup v1 or v2).
    private func oomKills() -> Int {
        let candidates = [
            "/sys/fs/cgroup/memory\(cgroupsPath)/memory.oom_control",
            "/sys/fs/cgroup\(cgroupsPath)/memory.events",
        ]
        for file in candidates {
            guard let text = HostFiles.read(file) else { continue }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 2, fields[0] == "oom_kill", let count = Int(fields[1]) { return count }
            }
        }
        return 0
    }

    /// The container's cgroup path under each controller's mount.
    var cgroupsPath: String { configuration.linux.cgroupsPath }

    /// Removes the container and its cgroups even when the calling task is cancelled.
    private func removeUncancelled() async {
        await Task.detached { await remove() }.value
    }

    /// Deletes the container (killing what is left of it) and any cgroup directory it left.
    func remove() async {
        do {
            try await Command.run(runtime, ["delete", "--force", id])
        } catch {
            if !"\(error)".contains("does not exist") {
                logger.warning("cannot delete the build container", metadata: ["container": "\(id)", "error": "\(error)"])
            }
        }
        for directory in Self.cgroupDirectories(cgroupsPath) where HostFiles.exists(directory) {
            if rmdir(directory) != 0 {
                logger.warning(
                    "cannot remove the build container's cgroup",
                    metadata: ["cgroup": "\(directory)", "error": "\(String(cString: strerror(errno)))"])
            }
        }
    }

    /// The directories a cgroup path has under `/sys/fs/cgroup` (every v1 controller, or v2).
    static func cgroupDirectories(_ path: String) -> [String] {
        let controllers = (try? HostFiles.children(of: "/sys/fs/cgroup")) ?? []
        return [("/sys/fs/cgroup" + path)] + controllers.map { "/sys/fs/cgroup/\($0)\(path)" }
    }
}

/// Splits a byte stream into lines without their `\n` (and `\r\n`); a line longer than
/// `maxLength` bytes is cut into pieces, so that no output can stall the stream.
struct LineSplitter {
    var maxLength = 16 * 1024
    private var pending: [UInt8] = []

    /// Adds bytes; returns the lines they complete.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(take())
            } else {
                pending.append(byte)
                if pending.count >= maxLength { lines.append(take()) }
            }
        }
        return lines
    }

    /// The last, unterminated line, if any.
    mutating func finish() -> String? {
        pending.isEmpty ? nil : take()
    }

    private mutating func take() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
