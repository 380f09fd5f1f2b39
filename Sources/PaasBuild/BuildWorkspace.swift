import Logging
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// The host directory of one build, `<workDirectory>/<buildID>`, private to root (mode 0700:
/// the env dir holds config values), and what is in it.
struct BuildWorkspace: Sendable {
    let root: String

    /// The app: the source, then the compiled slug contents (`/app` in the container).
    var app: String { root + "/app" }
    /// The build cache (`/cache`).
    var cache: String { root + "/cache" }
    /// One file per config var (`/env`).
    var env: String { root + "/env" }
    /// The driver's reports (`/run/paas/output`).
    var output: String { root + "/output" }
    /// The driver script (`/run/paas/driver`).
    var driver: String { root + "/driver" }
    /// Becomes `/etc/resolv.conf`.
    var resolvConf: String { root + "/resolv.conf" }
    /// The OCI bundle (`config.json`).
    var bundle: String { root + "/bundle" }
    /// The container's root filesystem: an overlay over the build stack, mounted while the
    /// container runs (see `BuildWorkspace+RootFilesystem.swift`).
    var rootFilesystem: String { root + "/rootfs" }
    /// The overlay's upper layer: what the container's runtime adds to the stack (mount points).
    var overlayUpper: String { root + "/overlay/upper" }
    /// The overlay's work directory (same filesystem as the upper layer).
    var overlayWork: String { root + "/overlay/work" }
    /// The packed slug.
    var slugArchive: String { root + "/slug.tgz" }
    /// The previous cache as fetched, then the new cache as packed.
    var cacheArchive: String { root + "/cache.tgz" }

    /// Where a git buildpack is cloned.
    func clonedBuildpack(_ number: Int) -> String { root + "/buildpacks/\(number)" }

    /// Creates the directory; a leftover of an earlier build with the same id is removed first.
    static func create(in workDirectory: String, buildID: String, logger: Logger) throws -> BuildWorkspace {
        let workspace = BuildWorkspace(root: workDirectory + "/" + buildID)
        try workspace.remove(logger: logger)
        try BuildError.adopting {
            try HostFiles.makeDirectory(workDirectory, mode: 0o700)
            try HostFiles.makeDirectory(workspace.root, mode: 0o700)
        }
        return workspace
    }

    /// Unmounts the root filesystem, then removes the directory.
    ///
    /// Refuses to remove anything while a mount is left at or under the directory: removing
    /// through a mounted overlay would delete the build stack's files.
    func remove(logger: Logger) throws {
        guard HostFiles.exists(root) else { return }
        try unmountRootFilesystem(logger: logger)
        guard let mounts = MountTable.mountPoints(atOrUnder: root) else {
            throw BuildError(
                code: BuildError.Code.ioFailed,
                message: "refusing to remove \(root): cannot read /proc/self/mountinfo to check that nothing is mounted in it")
        }
        guard mounts.isEmpty, !isRootFilesystemMounted else {
            throw BuildError(
                code: BuildError.Code.ioFailed,
                message: "refusing to remove \(root): \((mounts.isEmpty ? [rootFilesystem] : mounts).joined(separator: ", ")) "
                    + "still mounted; unmount it and remove the directory by hand")
        }
        try BuildError.adopting { try HostFiles.remove(root) }
    }

    /// Like `remove`, but only unmounts and renames the directory to `.removing-<id>` beside it
    /// (a name no build id has) and returns that path: deleting a large tree can then happen
    /// after the build has answered. nil when there was nothing to remove.
    func discard(logger: Logger) throws -> String? {
        guard HostFiles.exists(root) else { return nil }
        try unmountRootFilesystem(logger: logger)
        guard let mounts = MountTable.mountPoints(atOrUnder: root), mounts.isEmpty, !isRootFilesystemMounted else {
            try remove(logger: logger)  // says what is still mounted
            return nil
        }
        let parent = root.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = root.split(separator: "/").last.map(String.init) ?? "build"
        let discarded = parent + "/.removing-" + name + "-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(root, discarded) == 0 else {
            try remove(logger: logger)
            return nil
        }
        return discarded
    }

    /// Removes what `discard` left in `workDirectory` (also after a crash); errors are ignored,
    /// another build may be removing the same tree.
    static func removeDiscarded(in workDirectory: String) {
        for name in (try? HostFiles.children(of: workDirectory)) ?? [] where name.hasPrefix(".removing-") {
            try? HostFiles.remove(workDirectory + "/" + name)
        }
    }
}
