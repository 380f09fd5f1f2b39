// Packing, unpacking and removing trees from async code without holding a thread of Swift's
// cooperative pool (on a 2-core host it has 2 threads: one large slug would stall the API).
import NIOCore
import NIOPosix

extension SlugArchive {
    /// `create(from:at:root:)` on the archive thread pool (see `offload`): the calling task waits, its
    /// cooperative thread does not.
    @discardableResult
    public static func pack(from directory: String, at path: String, root: String = "app") async throws -> Int64 {
        try await offload { try create(from: directory, at: path, root: root) }
    }

    /// `extract(_:to:root:)` on the archive thread pool.
    public static func unpack(_ path: String, to directory: String, root: String = "app") async throws {
        try await offload { try extract(path, to: directory, root: root) }
    }

    /// Removes `path` and everything under it (nothing there is fine) on the archive thread pool.
    public static func removeTree(_ path: String) async throws {
        try await offload { try HostFiles.remove(path) }
    }

    /// Runs blocking file work (`body`) on the archive thread pool and returns its result;
    /// errors are passed on as thrown.
    public static func offload<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await pool.runIfActive(body)
    }

    /// Whole-tree work runs on a pool of its own, never on NIO's shared blocking pool: that one
    /// has a thread per core and also serves NIO's file system (`FileSystem.shared`: a blob's
    /// stat, a chunk of a download), which a few large slugs would hold up for tens of seconds.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()
}
