// The OCI runtime (runc) as a program: bundles, run in the foreground, kill, delete, list.
import FoundationEssentials
import Logging
import PaasSupport
import Subprocess

/// Drives an OCI runtime (`runc` by default) through its command line.
///
/// Containers run in the foreground (`run --keep`): the runtime is a child process of the caller,
/// the container's standard output and error are the pipes the caller reads, and the runtime's
/// exit status is the container's. `--keep` leaves the stopped container and its cgroups in
/// place so that the OOM killer's count can be read; `delete` removes them afterwards.
public struct ContainerRuntime: Sendable {
    /// Which of a container's output streams a line came from.
    public enum Stream: String, Sendable, Equatable {
        case standardOutput = "stdout"
        case standardError = "stderr"
    }

    /// A container the runtime knows about (`runc list`).
    public struct ListedContainer: Decodable, Sendable, Equatable {
        /// The container id.
        public var id: String
        /// `created`, `running`, `paused` or `stopped`.
        public var status: String
        /// The bundle directory the container was created from.
        public var bundle: String
        /// The root filesystem (from the bundle's `config.json`).
        public var rootfs: String
    }

    /// The runtime's program: a name on PATH or a path.
    public var program: String

    public init(program: String = "runc") {
        self.program = program
    }

    /// Creates the bundle directory (mode 0700) and writes `config.json` into it.
    public func writeBundle(_ configuration: OCIConfiguration, at bundle: String) throws {
        try HostFiles.makeDirectory(bundle, mode: 0o700)
        try HostFiles.write(try configuration.json(), to: bundle + "/config.json", mode: 0o600)
    }

    /// Runs the container in the foreground (`run --keep`) until its first process ends, and
    /// hands `output` each line it writes, as it writes it (the runtime's own errors arrive on
    /// standard error too).
    ///
    /// With `combinedOutput`, the container's standard output and error are one pipe (as `2>&1`
    /// in a shell, and as Heroku's log stream): lines keep the order in which the process wrote
    /// them, across both streams, and all come as `.standardOutput`. Without it they are two
    /// pipes read side by side, so that each line's stream is known but the order between the
    /// two streams is lost.
    ///
    /// Returns the exit status: the container's (128 + N when killed by signal N), or the
    /// runtime's own failure status when it could not start the container. Throws
    /// `container_runtime_failed` when the runtime cannot be started at all.
    ///
    /// With `ownProcessGroup`, the runtime runs in a process group of its own, so that a signal
    /// for the caller's group (Ctrl-C in a terminal) does not reach the container directly (the
    /// runtime passes the signals it gets on to the container).
    ///
    /// Cancelling the calling task kills the runtime's process, not the container: use `kill`.
    public func run(
        _ id: String, bundle: String, ownProcessGroup: Bool = false, combinedOutput: Bool = false,
        output: @escaping @Sendable (Stream, String) async -> Void
    ) async throws -> Int32 {
        let executable: Executable = program.hasPrefix("/") ? .path(.init(program)) : .name(program)
        var options = PlatformOptions()
        if ownProcessGroup { options.processGroupID = 0 }
        let arguments: Arguments = ["run", "--keep", "--bundle", bundle, id]
        let status: TerminationStatus
        do {
            if combinedOutput {
                status = try await Subprocess.run(
                    executable, arguments: arguments, platformOptions: options,
                    input: .none, output: .sequence, error: .combinedWithOutput
                ) { execution in
                    try await Self.forward(execution.standardOutput, as: .standardOutput, to: output)
                }.terminationStatus
            } else {
                status = try await Subprocess.run(
                    executable, arguments: arguments, platformOptions: options,
                    input: .none, output: .sequence, error: .sequence
                ) { execution in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await Self.forward(execution.standardOutput, as: .standardOutput, to: output) }
                        group.addTask { try await Self.forward(execution.standardError, as: .standardError, to: output) }
                        try await group.waitForAll()
                    }
                }.terminationStatus
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ContainerError(
                code: ContainerError.Code.runtimeFailed,
                message: "the container \(id) could not run (\(program) failed)", cause: error)
        }
        switch status {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Runs the container in the foreground like `run(_:bundle:ownProcessGroup:output:)`, with
    /// `stdio`'s runtime side as the runtime's standard input, output and error (given over to
    /// the runtime: the caller keeps only its own side). For a terminal, the bundle's process
    /// must have `terminal` set.
    public func run(_ id: String, bundle: String, ownProcessGroup: Bool = false, stdio: ContainerStdio) async throws -> Int32 {
        let executable: Executable = program.hasPrefix("/") ? .path(.init(program)) : .name(program)
        var options = PlatformOptions()
        if ownProcessGroup { options.processGroupID = 0 }
        let descriptors = stdio.runtimeDescriptors
        let result: ExecutionResult<Void, FileDescriptorOutput, FileDescriptorOutput>
        do {
            result = try await Subprocess.run(
                executable, arguments: ["run", "--keep", "--bundle", bundle, id], platformOptions: options,
                input: .fileDescriptor(descriptors.input, closeAfterSpawningProcess: true),
                output: .fileDescriptor(descriptors.output, closeAfterSpawningProcess: true),
                error: .fileDescriptor(descriptors.error, closeAfterSpawningProcess: true))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ContainerError(
                code: ContainerError.Code.runtimeFailed,
                message: "the container \(id) could not run (\(program) failed)", cause: error)
        }
        switch result.terminationStatus {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    private static func forward(
        _ sequence: SubprocessOutputSequence, as stream: Stream, to output: @Sendable (Stream, String) async -> Void
    ) async throws {
        var lines = LineSplitter()
        for try await chunk in sequence {
            for line in chunk.withUnsafeBytes({ lines.append($0) }) { await output(stream, line) }
        }
        if let last = lines.finish() { await output(stream, last) }
    }

    /// Sends `signal` (`TERM`, `KILL`, ...) to the container's first process, or with `all` to
    /// every process in it. Throws when the runtime refuses, e.g. for a container that does not
    /// exist (yet, or any more) or is not running.
    public func kill(_ id: String, signal: String, all: Bool = false) async throws {
        do {
            try await Command.run(program, ["kill"] + (all ? ["--all"] : []) + [id, signal])
        } catch {
            throw ContainerError(
                code: ContainerError.Code.runtimeFailed, message: "cannot signal the container \(id)", cause: error)
        }
    }

    /// Deletes the container, killing what is left of it (`delete --force`); a container that
    /// does not exist is fine. Failures are logged, not thrown: removal goes on regardless.
    public func delete(_ id: String, logger: Logger) async {
        do {
            try await Command.run(program, ["delete", "--force", id])
        } catch {
            if !"\(error)".contains("does not exist") {
                logger.warning("cannot delete the container", metadata: ["container": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// The containers the runtime knows about on this host (in its default state directory).
    public func list() async throws -> [ListedContainer] {
        var text = ""
        // runc fails the whole listing when a container is deleted while it lists: try again.
        for attempt in 1...5 {
            do {
                text = try await Command.run(program, ["list", "--format", "json"])
                break
            } catch {
                guard attempt < 5 else {
                    throw ContainerError(code: ContainerError.Code.runtimeFailed, message: "cannot list containers", cause: error)
                }
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
        // runc prints `null` when there are none.
        guard !text.trimmed.isEmpty, text.trimmed != "null" else { return [] }
        do {
            return try JSONDecoder().decode([ListedContainer].self, from: Data(text.utf8))
        } catch {
            throw ContainerError(
                code: ContainerError.Code.runtimeFailed, message: "cannot read \(program)'s container list", cause: error)
        }
    }
}
