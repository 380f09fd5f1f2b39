// One app process in its container, from start to removal.
import FoundationEssentials
import Logging
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// One app process's container under the OCI runtime (runc): started, supervised, stopped and
/// removed.
///
/// Supervision: the runtime runs in the foreground (`runc run --keep`) as a child process of
/// the runner. The container's standard output and error are one pipe the runner reads line by
/// line (`start`'s `output`, each line stamped on arrival), so that lines keep the order in which
/// the process wrote them, stdout and stderr alike (as far as the kernel's pipe gives it); the runtime's exit status is the
/// container's, and the memory cgroup, kept until `runc delete`, tells whether the OOM killer
/// struck (`wait` returns an `ExitReason`). `stop` sends SIGTERM to tini (PID 1, which passes it
/// to the process group of the app), waits for the grace period and then sends SIGKILL.
/// Whichever way the container ends, the runner then deletes it and its cgroups, unmounts its
/// overlay root and removes its directory before `wait` and `stop` return.
///
/// If the runner itself dies, its containers outlive it (their output pipes are gone, so a
/// process that writes gets EPIPE or SIGPIPE). They are not adopted: the next runner calls
/// `removeLeftovers(prefix:in:runtime:logger:)` before it starts anything, which finds them
/// with `runc list` and in the containers directory, kills and removes them, and the
/// controller's desired state has fresh ones started.
///
/// Files: `<containersDirectory>/<id>/` holds the bundle (`config.json`), the overlay
/// (`rootfs`, `overlay/upper`, `overlay/work`), `run-paas/` (`/run/paas`) and `etc/`
/// (`resolv.conf`, `hosts`).
public actor RunContainer {
    /// The runtime's container id: `paas.<app>.<process>.<instance>`, unique on the host.
    public nonisolated let id: String
    /// What runs.
    public nonisolated let spec: RunContainerSpec
    /// The container's directory and bundle.
    public nonisolated let directory: String
    /// The container's cgroup, `/paas/<app>/<process>.<instance>`: the instance keeps an old
    /// and a new `web.1` apart while a deploy overlaps them.
    public nonisolated let cgroupsPath: String
    private let runtime: ContainerRuntime
    private let logger: Logger
    private var runTask: Task<ExitReason, Never>?
    private var hasExited = false

    /// The prefix of every run container's id (build containers are `paas-build-…`).
    public static let idPrefix = "paas."

    /// A container for `spec` in `containersDirectory` (e.g. `<data-dir>/containers`).
    /// `instance` tells this run of the process from others (a new random one by default).
    public init(
        spec: RunContainerSpec, containersDirectory: String, instance: String = RunContainer.newInstance(),
        runtime: ContainerRuntime = ContainerRuntime(), logger: Logger
    ) {
        self.spec = spec
        self.id = Self.idPrefix + "\(spec.app).\(spec.processName).\(instance)"
        self.directory = containersDirectory + "/" + id
        self.cgroupsPath = "/paas/\(spec.app)/\(spec.processName).\(instance)"
        self.runtime = runtime
        var logger = logger
        logger[metadataKey: "app"] = "\(spec.app)"
        logger[metadataKey: "process"] = "\(spec.processName)"
        logger[metadataKey: "container"] = "\(id)"
        self.logger = logger
    }

    /// Eight random hex digits.
    public static func newInstance() -> String {
        let value = UInt32.random(in: 0...UInt32.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The container's overlay root over the run stack.
    public nonisolated var overlay: OverlayRoot {
        OverlayRoot(
            lowerLayers: [spec.stackPath], upper: directory + "/overlay/upper", work: directory + "/overlay/work",
            mountPoint: directory + "/rootfs")
    }

    private nonisolated var files: RunContainerSpec.Files {
        RunContainerSpec.Files(
            rootFilesystem: directory + "/rootfs", runDirectory: directory + "/run-paas",
            resolvConf: directory + "/etc/resolv.conf", hosts: directory + "/etc/hosts", cgroupsPath: cgroupsPath)
    }

    /// Writes the container's files, mounts its root and starts it; returns once the runtime
    /// runs. Each line the process writes, on standard output or error (one pipe, so in the
    /// order written), goes to `output` as it comes. Throws (`ContainerError`)
    /// when the container cannot be set up, leaving nothing behind; a runtime that starts but
    /// cannot start the container ends it with `ExitReason.exited` and its error in `output`.
    public func start(output: @escaping @Sendable (OutputLine) async -> Void) async throws {
        try await start { runtime, id, directory in
            try await runtime.run(id, bundle: directory, ownProcessGroup: true, combinedOutput: true) { stream, line in
                await output(OutputLine(time: Date(), stream: stream, text: line))
            }
        }
    }

    /// Starts the container like `start(output:)`, with `stdio` as its standard streams (a
    /// terminal when the spec asks for one); the caller reads and writes its side of `stdio`.
    public func start(stdio: ContainerStdio) async throws {
        do {
            try await start { runtime, id, directory in try await runtime.run(id, bundle: directory, ownProcessGroup: true, stdio: stdio) }
        } catch {
            stdio.closeRuntimeDescriptors()
            throw error
        }
    }

    private func start(
        running: @escaping @Sendable (ContainerRuntime, _ id: String, _ directory: String) async throws -> Int32
    ) async throws {
        guard runTask == nil else {
            throw ContainerError(code: ContainerError.Code.setupFailed, message: "the container \(id) was started already")
        }
        try spec.validate()
        do {
            try writeFiles()
            try overlay.mount()
            try runtime.writeBundle(spec.configuration(files: files), at: directory)
        } catch {
            await Self.remove(
                id: id, files: (directory, overlay), cgroupsPath: cgroupsPath, runtime: runtime, logger: logger)
            throw error
        }
        logger.info("container starting")
        let started = ContinuousClock.now
        runTask = Task.detached { [id, directory, overlay, cgroupsPath, runtime, logger] in
            let reason: ExitReason
            do {
                let status = try await running(runtime, id, directory)
                reason = ExitReason(status: status, oomKills: Cgroups.oomKills(in: cgroupsPath))
            } catch {
                reason = .startFailed("\(error)")
            }
            await self.markExited()
            logger.info("container ended", metadata: ["reason": "\(reason)", "duration": "\(ContinuousClock.now - started)"])
            await Self.remove(
                id: id, files: (directory, overlay), cgroupsPath: cgroupsPath, runtime: runtime, logger: logger)
            return reason
        }
    }

    private func markExited() { hasExited = true }

    /// Waits for the container to end (and to be removed) and tells how it ended.
    public func wait() async -> ExitReason {
        guard let runTask else { return .startFailed("the container was never started") }
        return await runTask.value
    }

    /// Stops the container: SIGTERM, then SIGKILL once `grace` has passed; returns how it ended
    /// once it is removed. Stopping a container that has ended already just waits for it.
    public func stop(grace: Duration = .seconds(30)) async -> ExitReason {
        guard let runTask else { return .startFailed("the container was never started") }
        let deadline = ContinuousClock.now + grace
        // Repeated while the runtime may still be creating the container (kill then fails).
        while !hasExited, ContinuousClock.now < deadline {
            do {
                try await runtime.kill(id, signal: "TERM")
                break
            } catch {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        while !hasExited, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(25))
        }
        if !hasExited {
            logger.info("container did not stop within its grace period; killing it", metadata: ["grace": "\(grace)"])
            while !hasExited {
                try? await runtime.kill(id, signal: "KILL")
                for _ in 0..<20 where !hasExited { try? await Task.sleep(for: .milliseconds(25)) }
            }
        }
        return await runTask.value
    }

    private nonisolated func writeFiles() throws {
        try HostFiles.makeDirectory(directory, mode: 0o700)
        try HostFiles.makeDirectory(files.runDirectory, mode: 0o755)
        let runner = HostFiles.read(spec.slugRunnerPath) ?? ""
        guard runner.hasPrefix("#!") else {
            throw ContainerError(
                code: ContainerError.Code.setupFailed,
                message: "no slug-runner at \(spec.slugRunnerPath) (set the runner's slug-runner path to the repository's slug-runner/slug-runner)")
        }
        try HostFiles.write(runner, to: files.runDirectory + "/slug-runner", mode: 0o555)
        try HostFiles.write(spec.processTypesFile, to: files.runDirectory + "/process-types", mode: 0o444)
        try HostFiles.makeDirectory(directory + "/etc", mode: 0o755)
        try HostFiles.write(spec.resolvConf, to: files.resolvConf, mode: 0o444)
        try HostFiles.write(spec.hosts, to: files.hosts, mode: 0o444)
    }

    /// Deletes the container and its cgroup, unmounts its root and removes its directory; what
    /// is already gone is fine. Refuses to remove a directory that still has a mount in it.
    static func remove(
        id: String, files: (directory: String, overlay: OverlayRoot)?, cgroupsPath: String?,
        runtime: ContainerRuntime, logger: Logger
    ) async {
        await runtime.delete(id, logger: logger)
        if let cgroupsPath { Cgroups.remove(cgroupsPath, logger: logger) }
        guard let (directory, overlay) = files else { return }
        do {
            try overlay.unmount(logger: logger)
            guard let mounts = MountTable.mountPoints(atOrUnder: directory) else {
                logger.warning("cannot read the mount table; keeping the container's directory", metadata: ["directory": "\(directory)"])
                return
            }
            guard mounts.isEmpty, !overlay.isMounted else {
                logger.warning(
                    "mounts left in the container's directory; keeping it",
                    metadata: ["directory": "\(directory)", "mounts": "\(mounts)"])
                return
            }
            try HostFiles.remove(directory)
        } catch {
            logger.warning("cannot remove the container's files", metadata: ["directory": "\(directory)", "error": "\(error)"])
        }
    }
}
