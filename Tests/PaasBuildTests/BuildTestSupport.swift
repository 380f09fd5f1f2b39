// Helpers for the slugbuilder's tests: a filesystem blob store, fixtures, the build stack, and
// checks that a build left nothing behind.
import Logging
import NIOCore
import PaasBlobs
import PaasContainers
import PaasTesting
import Testing

@testable import PaasBuild

#if canImport(Glibc)
import Glibc
#endif

/// A blob store in a directory: just enough of the protocol for the builder's tests.
struct DirectoryBlobStore: BlobStore {
    let directory: String

    func store(fileAt path: String) async throws -> BlobID {
        let hash = try await run("/usr/bin/sha256sum", [path]).split(separator: " ")[0]
        let id = try #require(BlobID(sha256: String(hash)))
        try await run("/bin/cp", [path, directory + "/" + id.sha256])
        return id
    }

    func fetch(_ id: BlobID, to path: String) async throws {
        guard try await contains(id) else { throw BlobError(code: BlobError.Code.notFound, message: "no blob \(id)") }
        try await run("/bin/cp", [directory + "/" + id.sha256, path])
    }

    func contains(_ id: BlobID) async throws -> Bool { access(directory + "/" + id.sha256, F_OK) == 0 }

    func delete(_ id: BlobID) async throws { unlink(directory + "/" + id.sha256) }

    func size(of id: BlobID) async throws -> Int64? {
        var info = stat()
        return stat(directory + "/" + id.sha256, &info) == 0 ? Int64(info.st_size) : nil
    }

    func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws {
        let text = try await run("/bin/cat", [directory + "/" + id.sha256])
        try await chunk(ByteBuffer(string: text))
    }

    /// Stores arbitrary bytes under a made-up id, as a damaged store would hold them.
    func storeCorrupt(_ text: String) throws -> BlobID {
        let id = try #require(BlobID(sha256: String(repeating: "ab", count: 32)))
        try TestFiles.write(text, to: directory + "/" + id.sha256)
        return id
    }
}

/// Runs a program; fails the test when it fails.
@discardableResult
func run(_ program: String, _ arguments: [String], in directory: String? = nil) async throws -> String {
    let result = try await runProgram(program, arguments, workingDirectory: directory)
    guard result.status == 0 else {
        throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
    }
    return result.stdout
}


/// The lines a build printed, with when each arrived.
actor OutputLines {
    private(set) var lines: [(text: String, at: ContinuousClock.Instant)] = []

    func append(_ line: String) { lines.append((line, .now)) }

    var text: String { lines.map(\.text).joined(separator: "\n") }

    func arrival(ofLineContaining needle: String) -> ContinuousClock.Instant? {
        lines.first { $0.text.contains(needle) }?.at
    }
}

/// A temporary test environment: a build stack, a work directory, a blob store and sources.
struct BuildHarness {
    let root: String
    let blobs: DirectoryBlobStore
    var configuration: SlugBuilder.Configuration
    /// `stackListing()` when the harness was made.
    let stackBefore: [String]

    static let packageRoot = TestBinaries.packageRoot

    /// Fails (never skips) when the build stack is missing.
    init(memoryLimit: Int64? = nil, timeLimit: Duration? = nil) throws {
        guard let stack = getenv("PAAS_TEST_BUILD_STACK").map({ String(cString: $0) }), !stack.isEmpty else {
            throw TestFailure(
                "PAAS_TEST_BUILD_STACK is not set. Build the stack with `stacks/build-stack build "
                    + "/var/tmp/paas-stacks-test` and set PAAS_TEST_BUILD_STACK to the path it prints.")
        }
        guard access(stack + "/usr/bin/tini", X_OK) == 0 else {
            throw TestFailure(
                "PAAS_TEST_BUILD_STACK=\(stack) is not a build stack (no /usr/bin/tini). Build it with "
                    + "`stacks/build-stack build /var/tmp/paas-stacks-test` and use the path it prints.")
        }
        root = try TemporaryDirectory.make(prefix: "paas-build-test")
        mkdir(root + "/blobs", 0o700)
        blobs = DirectoryBlobStore(directory: root + "/blobs")
        configuration = SlugBuilder.Configuration(
            buildStackPath: stack, builtinBuildpacksPath: Self.packageRoot + "/buildpacks",
            workDirectory: root + "/builds")
        if let memoryLimit { configuration.memoryLimit = memoryLimit }
        if let timeLimit { configuration.timeLimit = timeLimit }
        stackBefore = try Self.stackListing(stack)
    }

    /// The entries of the stack's top level, `/etc` and `/opt`: where runc would create mount
    /// points if a build ran on the stack itself.
    static func stackListing(_ stack: String) throws -> [String] {
        try ["", "/etc", "/opt"].flatMap { directory in
            try HostFiles.children(of: stack + directory).map { directory + "/" + $0 }
        }
    }

    var builder: SlugBuilder {
        SlugBuilder(configuration: configuration, blobs: blobs, logger: Logger(label: "paas.build.test"))
    }

    /// A copy of `buildpacks/test/fixtures/<name>` (or an empty directory for nil) to build.
    func source(_ fixture: String?, named name: String = "src") async throws -> String {
        let path = root + "/" + name
        if let fixture {
            try await run("/bin/cp", ["-a", Self.packageRoot + "/buildpacks/test/fixtures/" + fixture, path])
        } else {
            mkdir(path, 0o755)
        }
        return path
    }

    /// A buildpack in a directory: `compile` is the body of bin/compile (bash; $1 BUILD_DIR,
    /// $2 CACHE_DIR, $3 ENV_DIR); `release` is what bin/release prints.
    func buildpack(_ name: String, detect: String = "Custom", compile: String, release: String = "--- {}") throws -> String {
        let path = root + "/buildpacks/" + name
        try TestFiles.write("#!/bin/bash\necho \(detect)\n", to: path + "/bin/detect", mode: 0o755)
        try TestFiles.write("#!/bin/bash\nset -euo pipefail\n\(compile)\n", to: path + "/bin/compile", mode: 0o755)
        try TestFiles.write("#!/bin/bash\ncat <<'YAML'\n\(release)\nYAML\n", to: path + "/bin/release", mode: 0o755)
        return path
    }

    /// Builds `source` and records the output.
    func build(
        _ source: String, id: String, config: [String: String] = [:], cache: BlobID? = nil, output: OutputLines
    ) async throws -> BuildResult {
        let request = BuildRequest(buildID: id, appName: "test-app", sourceDirectory: source, config: config, cacheBlob: cache)
        return try await builder.build(request) { await output.append($0) }
    }

    /// Extracts a slug into a new directory and returns it.
    func extract(_ slug: BlobID, into name: String) async throws -> String {
        let archive = root + "/" + name + ".tgz"
        try await blobs.fetch(slug, to: archive)
        let directory = root + "/" + name
        mkdir(directory, 0o755)
        try SlugArchive.extract(archive, to: directory)
        return directory
    }

    /// Checks that a build left no container, no cgroup, no mount and no work directory behind,
    /// and added nothing to the build stack.
    func expectCleanedUp(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let workspace = configuration.workDirectory + "/" + id
        let mounts = (TestFiles.read("/proc/self/mountinfo") ?? "").split(separator: "\n").filter { $0.contains(workspace) }
        #expect(mounts.isEmpty, "mounts left: \(mounts)", sourceLocation: sourceLocation)
        let stackAfter = try Self.stackListing(configuration.buildStackPath)
        #expect(
            stackAfter == stackBefore,
            "new in the stack: \(Set(stackAfter).subtracting(stackBefore).sorted())", sourceLocation: sourceLocation)
        // The runtime's own listing, which tries again when another test's container goes meanwhile.
        let containers = try await ContainerRuntime().list().map(\.id)
        #expect(!containers.contains("paas-build-\(id)"), sourceLocation: sourceLocation)
        let controllers = try await run("/bin/ls", ["/sys/fs/cgroup"]).split(separator: "\n")
        for controller in controllers {
            #expect(!TestFiles.exists("/sys/fs/cgroup/\(controller)/paas/builds/\(id)"), "cgroup \(controller)", sourceLocation: sourceLocation)
        }
        #expect(!TestFiles.exists(configuration.workDirectory + "/" + id), sourceLocation: sourceLocation)
    }

    /// Removes the harness's directory; first detaches any mount a failed build left in it,
    /// so that `rm -rf` cannot descend into the build stack, and keeps the directory if that fails.
    func remove() {
        for mount in (MountTable.mountPoints(atOrUnder: root) ?? [root]).reversed() {
            umount2(mount, Int32(MNT_DETACH))
        }
        guard MountTable.mountPoints(atOrUnder: root) == [] else { return }
        TemporaryDirectory.remove(root)
    }
}

/// A build id unique to this test run.
func uniqueBuildID(_ name: String) -> String {
    "\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}
