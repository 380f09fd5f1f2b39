import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// What a build cache directory holds, entry by entry (path, type, mode, size, mtime to the
/// nanosecond, inode): taken when the cache is restored and again after the buildpacks ran.
/// When the two are equal, nothing was added, removed, rewritten or replaced, and the cache the
/// build started from can be handed to the next build as it is: no packing, no upload.
struct CacheManifest: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var path: String
        var mode: UInt32
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        var inode: UInt64
    }

    private(set) var entries: [Entry] = []

    /// The manifest of everything under `directory` (not the directory itself); nil when it
    /// cannot be read, which counts as changed.
    static func of(_ directory: String) -> CacheManifest? {
        var manifest = CacheManifest()
        return manifest.add(directory, relative: "") ? manifest : nil
    }

    private mutating func add(_ directory: String, relative: String) -> Bool {
        guard let names = try? HostFiles.children(of: directory) else { return false }
        for name in names {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return false }
            entries.append(
                Entry(
                    path: relative + name, mode: UInt32(info.st_mode), size: Int64(info.st_size),
                    modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec,
                    inode: UInt64(info.st_ino)))
            if info.st_mode & 0o170000 == 0o040000, !add(path, relative: relative + name + "/") { return false }
        }
        return true
    }
}
