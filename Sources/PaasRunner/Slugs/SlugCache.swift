// Slugs on this host: fetched from the blob store and extracted once, shared read-only by every
// process of every release that runs them.
import Logging
import PaasBlobs
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// The extracted slugs of one host, in `directory` (e.g. `<data-dir>/slugs`): `<sha256>/app/`
/// holds the app, owned by `app` (10000:10000) as archived. The tree is mounted read-only at
/// `/app` in containers and never written.
///
/// A slug is fetched (sha256 verified by the blob store) and extracted into a temporary
/// directory, `.tmp-<sha256>-<random>`, that is renamed to `<sha256>` once complete: a directory
/// under a slug's final name is always whole. Concurrent `prepare` calls for the same slug share
/// one fetch and extraction; a failed one leaves nothing behind, and the next call tries again.
public actor SlugCache {
    private let blobs: any BlobStore
    /// Where the extracted slugs are.
    public nonisolated let directory: String
    private let logger: Logger
    private var inFlight: [BlobID: Task<String, any Error>] = [:]
    private var removedTemporaryLeftovers = false

    public init(blobs: any BlobStore, directory: String, logger: Logger) {
        self.blobs = blobs
        self.directory = directory
        self.logger = logger
    }

    /// The path of the slug's extracted `app/` directory: fetched and extracted first when this
    /// host does not have it yet. Throws `ContainerError` `slug_unavailable`.
    public func prepare(_ slug: BlobID) async throws -> String {
        let final = path(of: slug)
        if HostFiles.isDirectory(final + "/app") { return final + "/app" }
        if let running = inFlight[slug] { return try await running.value }
        try removeTemporaryLeftoversOnce()
        let task = Task { [blobs, directory, logger] in
            try await Self.fetchAndExtract(slug, blobs: blobs, into: directory, logger: logger)
        }
        inFlight[slug] = task
        defer { inFlight[slug] = nil }
        return try await task.value
    }

    /// `<directory>/<sha256>`: the slug's directory, which holds `app/` once prepared.
    public nonisolated func path(of slug: BlobID) -> String {
        directory + "/" + slug.sha256
    }

    /// Removes a prepared slug (when no container uses it any more); nothing there is fine.
    public func remove(_ slug: BlobID) async throws {
        try await SlugArchive.removeTree(path(of: slug))
    }

    /// Temporary directories of a runner that died while extracting.
    private func removeTemporaryLeftoversOnce() throws {
        guard !removedTemporaryLeftovers else { return }
        try HostFiles.makeDirectory(directory, mode: 0o755)
        for name in try HostFiles.children(of: directory) where name.hasPrefix(".tmp-") {
            try HostFiles.remove(directory + "/" + name)
        }
        removedTemporaryLeftovers = true
    }

    private static func fetchAndExtract(
        _ slug: BlobID, blobs: any BlobStore, into directory: String, logger: Logger
    ) async throws -> String {
        let started = ContinuousClock.now
        let temporary = directory + "/.tmp-\(slug.sha256)-\(UInt32.random(in: 0...UInt32.max))"
        let final = directory + "/" + slug.sha256
        do {
            try HostFiles.makeDirectory(temporary + "/app", mode: 0o755)
            do {
                try await blobs.fetch(slug, to: temporary + "/slug.tgz")
            } catch {
                throw ContainerError(
                    code: ContainerError.Code.slugUnavailable, message: "cannot fetch the slug \(slug)", cause: error)
            }
            do {
                try await SlugArchive.unpack(temporary + "/slug.tgz", to: temporary + "/app")
            } catch {
                throw ContainerError(
                    code: ContainerError.Code.slugUnavailable, message: "cannot extract the slug \(slug)", cause: error)
            }
            try HostFiles.remove(temporary + "/slug.tgz")
            // The archive's top directory is not an entry of its own: give it to `app` too.
            guard lchown(temporary + "/app", uid_t(SlugArchive.ownerID), gid_t(SlugArchive.ownerID)) == 0 else {
                throw ContainerError(
                    code: ContainerError.Code.slugUnavailable,
                    message: "cannot chown \(temporary)/app: \(String(cString: strerror(errno)))")
            }
            if rename(temporary, final) != 0 {
                // Another runner process got there first (ENOTEMPTY/EEXIST): use its copy.
                guard errno == ENOTEMPTY || errno == EEXIST, HostFiles.isDirectory(final + "/app") else {
                    throw ContainerError(
                        code: ContainerError.Code.slugUnavailable,
                        message: "cannot move the extracted slug to \(final): \(String(cString: strerror(errno)))")
                }
                try? await SlugArchive.removeTree(temporary)
            }
        } catch {
            try? await SlugArchive.removeTree(temporary)
            logger.warning("cannot prepare a slug", metadata: ["slug": "\(slug)", "error": "\(error)"])
            if let error = error as? ContainerError, error.code == ContainerError.Code.slugUnavailable { throw error }
            throw ContainerError(
                code: ContainerError.Code.slugUnavailable, message: "cannot prepare the slug \(slug)", cause: error)
        }
        logger.info("slug prepared", metadata: ["slug": "\(slug)", "duration": "\(ContinuousClock.now - started)"])
        return final + "/app"
    }
}
