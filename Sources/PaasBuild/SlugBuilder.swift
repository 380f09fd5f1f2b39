import Logging
import PaasBlobs
import PaasContainers
import PaasCore
import PaasSupport

#if canImport(Glibc)
import Glibc
#endif

/// The slugbuilder: runs classic buildpacks over an app's source in a build container and
/// stores the result as a slug.
///
/// One build: `.slugignore` → buildpack selection (`BUILDPACK_URL`, `.buildpacks`, else
/// detection in `buildpacks/order`) → the previous build cache → detect/compile/release in one
/// container on the build stack (runc; user `app`, no capabilities, seccomp, memory and pids
/// limits, a time limit, a network namespace of its own; its root an overlay over the read-only
/// stack) → process types → slug and new cache into the blob store. The build's
/// container, cgroups and work directory are removed afterwards, whatever happened.
public struct SlugBuilder: Sendable {
    /// Where the builder finds the build stack and buildpacks, where it works, and its limits.
    public struct Configuration: Sendable {
        /// The root filesystem of the build stack (`stacks/build-stack build DATA_DIR` prints it).
        public var buildStackPath: String
        /// The stack's name, recorded with the slug and given to buildpacks as `STACK`.
        public var stackName: String = "bookworm"
        /// Every stack of the platform (the default one, `stackName` at `buildStackPath`, is added
        /// when missing). A build runs on its request's stack; buildpacks see them all in
        /// `PAAS_STACKS`.
        public var stacks: [BuildStack] = []
        /// The built-in buildpacks: the repository's `buildpacks/` directory.
        public var builtinBuildpacksPath: String
        /// Where builds work, e.g. `<data-dir>/builds`: one subdirectory per build, removed afterwards.
        public var workDirectory: String
        /// The OCI runtime: a program name on PATH or a path.
        public var runtime: String = "runc"
        /// The build container's memory limit in bytes (no swap on top).
        public var memoryLimit: Int64 = 2 << 30
        /// The largest slug (compressed) a build may produce: 500 MB, as on Heroku.
        public var maxSlugSize: Int64 = 500_000_000
        /// The build container's CPU limit in cores: half the host's (at least one), so that a
        /// build cannot take the CPU from the apps; it also weighs half as much as an app.
        public var cpuLimit: Double = max(1, Double(sysconf(Int32(_SC_NPROCESSORS_ONLN))) / 2)
        /// How long a build may take before its container is killed.
        public var timeLimit: Duration = .seconds(15 * 60)
        /// How many unpacked build caches to keep on this host for the apps' next builds (see
        /// `KeptCaches`); 0 fetches and unpacks every cache from the blob store.
        public var keptCaches: Int = 10
        /// The network builds run on: each build gets a namespace of its own there (the
        /// platform's bridge, egress through NAT, the platform's DNS; no app's processes, no host
        /// service). Nil: a build runs with loopback only and reaches nothing.
        public var network: (any IsolatedNetwork)?

        public init(buildStackPath: String, builtinBuildpacksPath: String, workDirectory: String) {
            self.buildStackPath = buildStackPath
            self.builtinBuildpacksPath = builtinBuildpacksPath
            self.workDirectory = workDirectory
        }
    }

    let configuration: Configuration
    let blobs: any BlobStore
    let logger: Logger

    public init(configuration: Configuration, blobs: any BlobStore, logger: Logger) {
        self.configuration = configuration
        self.blobs = blobs
        self.logger = logger
    }

    /// Builds the source tree in `request.sourceDirectory` (the exported commit, no `.git`; the
    /// builder moves, chowns and deletes it).
    ///
    /// Streams output lines (without trailing newline) to `output` as they come, Heroku style.
    /// Throws `BuildError`, whose `message` is the short reason for the pusher.
    public func build(_ request: BuildRequest, output: @escaping @Sendable (String) async -> Void) async throws
        -> BuildResult
    {
        guard Self.isValidBuildID(request.buildID) else {
            throw BuildError(
                code: BuildError.Code.invalidSource,
                message: "invalid build id '\(request.buildID.prefix(80))' (letters, digits, '.', '_' and '-' only)")
        }
        var logger = logger
        logger[metadataKey: "build_id"] = "\(request.buildID)"
        logger[metadataKey: "app"] = "\(request.appName)"
        let started = ContinuousClock.now
        logger.info("build started")
        let configuration = try configuration.on(stack: request.stack)
        let workspace = try BuildWorkspace.create(
            in: configuration.workDirectory, buildID: request.buildID, logger: logger)
        let run = BuildRun(
            configuration: configuration, blobs: blobs, logger: logger, request: request, workspace: workspace,
            output: output)
        do {
            let result = try await run.perform()
            await Self.removeUncancelled(workspace, logger: logger)
            logger.info(
                "build succeeded",
                metadata: ["slug": "\(result.slug)", "duration": "\(ContinuousClock.now - started)"])
            return result
        } catch {
            await Self.removeUncancelled(workspace, logger: logger)
            logger.info("build failed", metadata: ["error": "\(error)", "duration": "\(ContinuousClock.now - started)"])
            throw BuildError.adopting(error)
        }
    }

    static func isValidBuildID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 100, first != ".", first != "-" else { return false }
        return scalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }

    /// Unmounts the build's root filesystem and moves the work directory out of the way, even
    /// when the calling task is cancelled; its files (a virtualenv or two: thousands) are deleted
    /// afterwards on NIO's blocking-I/O pool, without holding up the push.
    private static func removeUncancelled(_ workspace: BuildWorkspace, logger: Logger) async {
        await Task.detached {
            do {
                guard try workspace.discard(logger: logger) != nil else { return }
                let parent = String(workspace.root[..<(workspace.root.lastIndex(of: "/") ?? workspace.root.endIndex)])
                Task.detached { _ = try? await SlugArchive.offload { BuildWorkspace.removeDiscarded(in: parent) } }
            } catch {
                logger.warning("cannot remove the build's work directory", metadata: ["error": "\(error)"])
            }
        }.value
    }
}
