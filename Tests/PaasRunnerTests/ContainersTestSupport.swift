// Helpers for the run container tests: the run stack, slugs from fixture files, collected
// output, and checks that a container left nothing behind.
import FoundationEssentials
import Logging
import PaasBlobs
import PaasContainers
import PaasTesting
import Testing

@testable import PaasRunner

#if canImport(Glibc)
import Glibc
#endif

/// A temporary runner environment: the run stack, a blob store, a slug cache, a containers
/// directory and an app name of its own.
struct ContainersHarness {
    let root: String
    let stack: String
    let blobs: FilesystemBlobStore
    let slugs: SlugCache
    let containersDirectory: String
    /// Unique to the test: containers, cgroups and leftovers are found by it.
    let app: String
    let logger = Logger(label: "paas.runner.test")

    static let slugRunner = TestBinaries.packageRoot + "/slug-runner/slug-runner"

    init() throws {
        stack = try TestStacks.runStack()
        root = try TemporaryDirectory.make(prefix: "paas-run-test")
        blobs = FilesystemBlobStore(root: root + "/blobs")
        slugs = SlugCache(blobs: blobs, directory: root + "/slugs", logger: logger)
        containersDirectory = root + "/containers"
        app = "rt-" + RunContainer.newInstance()
    }

    /// Packs `files` (relative path → contents; paths under `bin/` are executable) as a slug,
    /// stores it and prepares it; returns the extracted `app/` directory.
    func slug(_ files: [String: String], named name: String = "src") async throws -> String {
        let source = root + "/" + name
        for (path, text) in files {
            try TestFiles.write(text, to: source + "/" + path, mode: path.hasPrefix("bin/") ? 0o755 : 0o644)
        }
        mkdir(source, 0o755)
        let archive = root + "/\(name).tgz"
        try SlugArchive.create(from: source, at: archive)
        let id = try await blobs.store(fileAt: archive)
        return try await slugs.prepare(id)
    }

    /// A spec for `command` on the slug at `slug`.
    func spec(_ command: [String], slug: String, process: String = "web.1") -> RunContainerSpec {
        var spec = RunContainerSpec(
            app: app, release: "v7", processName: process, command: command, stackPath: stack, slugPath: slug,
            slugRunnerPath: Self.slugRunner)
        spec.environment = ["COLOR": "blue", "PORT": "overridden-by-the-platform"]
        spec.port = 5123
        return spec
    }

    func container(_ spec: RunContainerSpec) -> RunContainer {
        RunContainer(spec: spec, containersDirectory: containersDirectory, logger: logger)
    }

    /// Starts `container`; its output goes to the returned collector.
    func start(_ container: RunContainer) async throws -> CollectedContainerOutput {
        let output = CollectedContainerOutput()
        try await container.start { await output.append($0) }
        return output
    }

    /// The top level, `/etc`, `/run`, `/tmp`, `/var/tmp` and `/app` of the stack: where a
    /// container would leave mount points or files if it wrote into the stack.
    func stackListing() throws -> [String] {
        try ["", "/etc", "/run", "/tmp", "/var/tmp", "/app"].flatMap { directory in
            try HostFiles.children(of: stack + directory).map { directory + "/" + $0 }
        }
    }

    /// The cgroup directories left under `/sys/fs/cgroup/*/paas/<app>`.
    func cgroupsLeft() throws -> [String] {
        try HostFiles.children(of: "/sys/fs/cgroup").flatMap { controller -> [String] in
            let directory = "/sys/fs/cgroup/\(controller)/paas/\(app)"
            guard HostFiles.isDirectory(directory) else { return [] }
            return try HostFiles.children(of: directory).filter { HostFiles.isDirectory(directory + "/" + $0) }
                .map { directory + "/" + $0 }
        }
    }

    /// Checks that `container` left no runtime container, mount, directory or cgroup.
    func expectNothingLeft(_ container: RunContainer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let listed = try await ContainerRuntime().list().map(\.id)
        #expect(!listed.contains(container.id), "runc still lists \(container.id)", sourceLocation: sourceLocation)
        let mounts = MountTable.mountPoints(atOrUnder: container.directory)
        #expect(mounts == [], "mounts left: \(String(describing: mounts))", sourceLocation: sourceLocation)
        #expect(!HostFiles.exists(container.directory), "directory left", sourceLocation: sourceLocation)
        for directory in Cgroups.directories(of: container.cgroupsPath) {
            #expect(!HostFiles.exists(directory), "cgroup left: \(directory)", sourceLocation: sourceLocation)
        }
        #expect(try cgroupsLeft() == [], sourceLocation: sourceLocation)
    }

    /// Removes whatever the test left: its containers (even running ones), their cgroups
    /// (including `/paas/<app>`), then the temporary directory, unless a mount is left in it.
    func remove() async {
        _ = try? await RunContainer.removeLeftovers(
            prefix: RunContainer.idPrefix + app + ".", in: containersDirectory, logger: logger)
        for controller in (try? HostFiles.children(of: "/sys/fs/cgroup")) ?? [] {
            let directory = "/sys/fs/cgroup/\(controller)/paas/\(app)"
            for child in (try? HostFiles.children(of: directory)) ?? [] where HostFiles.isDirectory(directory + "/" + child) {
                rmdir(directory + "/" + child)
            }
            rmdir(directory)
        }
        for mount in (MountTable.mountPoints(atOrUnder: root) ?? [root]).reversed() {
            umount2(mount, Int32(MNT_DETACH))
        }
        guard MountTable.mountPoints(atOrUnder: root) == [] else { return }
        TemporaryDirectory.remove(root)
    }
}

/// Runs `body` with a new harness and removes what it left, also when `body` fails.
func withContainersHarness(_ body: (ContainersHarness) async throws -> Void) async throws {
    let harness = try ContainersHarness()
    do {
        try await body(harness)
    } catch {
        await harness.remove()
        throw error
    }
    await harness.remove()
}

/// The lines a container wrote, with when each arrived.
actor CollectedContainerOutput {
    private(set) var lines: [OutputLine] = []

    func append(_ line: OutputLine) { lines.append(line) }

    var text: String { lines.map(\.text).joined(separator: "\n") }

    func lines(on stream: ContainerRuntime.Stream) -> [String] {
        lines.filter { $0.stream == stream }.map(\.text)
    }

    func first(containing needle: String) -> OutputLine? {
        lines.first { $0.text.contains(needle) }
    }

    /// Waits until a line containing `needle` has arrived; fails after `timeout` (generous: a
    /// loaded machine may take long to start a container, and a line that comes returns at once).
    func waitFor(_ needle: String, timeout: Duration = .seconds(90)) async throws -> OutputLine {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = first(containing: needle) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no line containing '\(needle)' within \(timeout); output so far:\n\(text)")
    }
}

