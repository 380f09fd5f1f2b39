import PaasBlobs
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// The unpacked build caches of the last builds on this host, kept beside the builds' work
/// directories in `<workDirectory>/.kept-caches/<blob>`, so that the next build of the same app
/// moves its cache into place instead of fetching and unpacking the blob.
///
/// A kept tree is exactly what its blob holds: it is kept only after the blob was stored (or
/// found unchanged), in a directory only root can enter, and a build takes it by renaming it
/// away, so two builds never share one. The blob store stays the truth: a build on another host,
/// or one whose tree was evicted, fetches the blob as before. At most `limit` trees are kept;
/// the least recently kept go first.
struct KeptCaches: Sendable {
    /// `<workDirectory>/.kept-caches` (a name no build id has: ids cannot start with a dot).
    let directory: String
    /// How many trees to keep at most; 0 keeps none.
    let limit: Int

    init(workDirectory: String, limit: Int) {
        directory = workDirectory + "/.kept-caches"
        self.limit = limit
    }

    /// Moves the tree kept for `blob` to `destination` (which must not exist, or be an empty
    /// directory); false when none is kept, for instance because another build took it.
    func take(_ blob: BlobID, to destination: String) -> Bool {
        rename(path(of: blob), destination) == 0
    }

    /// Keeps the tree at `source` (moved away) as the unpacked `blob`, then evicts the oldest
    /// trees beyond the limit into `<workDirectory>/.removing-…` for
    /// `BuildWorkspace.removeDiscarded`. Best effort: a tree that cannot be kept is left where it
    /// is, to go with its build's work directory.
    func keep(_ source: String, as blob: BlobID) {
        guard limit > 0, (try? HostFiles.makeDirectory(directory, mode: 0o700)) != nil else { return }
        let kept = path(of: blob)
        guard rename(source, kept) == 0 else { return }
        // The time it was kept, for eviction (a rename does not change the tree's own times).
        utimes(kept, nil)
        evict()
    }

    private func path(of blob: BlobID) -> String {
        directory + "/sha256-" + blob.sha256
    }

    private func evict() {
        guard let names = try? HostFiles.children(of: directory), names.count > limit else { return }
        var kept: [(name: String, time: Int)] = []
        for name in names {
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            kept.append((name, info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec))
        }
        let workDirectory = String(directory.dropLast("/.kept-caches".count))
        for old in kept.sorted(by: { $0.time < $1.time }).dropLast(limit) {
            _ = rename(directory + "/" + old.name, workDirectory + "/.removing-kept-\(old.name)-\(UInt32.random(in: 0...UInt32.max))")
        }
    }
}
