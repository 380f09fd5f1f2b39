import Logging
import NIOCore
import PaasBlobs
import PaasContainers
import PaasTesting
import Synchronization
import Testing

@testable import PaasRunner

#if canImport(Glibc)
import Glibc
#endif

/// A blob store that counts fetches and can be slowed down, over a filesystem store.
final class CountingBlobStore: BlobStore {
    let inner: FilesystemBlobStore
    let delay: Duration
    private let count = Mutex(0)

    init(root: String, delay: Duration = .zero) {
        inner = FilesystemBlobStore(root: root)
        self.delay = delay
    }

    var fetches: Int { count.withLock { $0 } }

    func store(fileAt path: String) async throws -> BlobID { try await inner.store(fileAt: path) }
    func fetch(_ id: BlobID, to path: String) async throws {
        count.withLock { $0 += 1 }
        try await Task.sleep(for: delay)
        try await inner.fetch(id, to: path)
    }
    func contains(_ id: BlobID) async throws -> Bool { try await inner.contains(id) }
    func delete(_ id: BlobID) async throws { try await inner.delete(id) }
    func size(of id: BlobID) async throws -> Int64? { try await inner.size(of: id) }
    func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws { try await inner.read(id, chunk: chunk) }
}

@Suite(.tags(.medium))
struct SlugCacheTests {
    let logger = Logger(label: "paas.runner.test")

    @Test func concurrentPreparesFetchAndExtractOnceIntoACompleteTree() async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-cache-test")
        defer { TemporaryDirectory.remove(root) }
        for index in 0..<50 {
            try TestFiles.write("file \(index)\n", to: root + "/src/lib/file-\(index).txt")
        }
        try TestFiles.write("web: ./bin/start\n", to: root + "/src/Procfile")
        try TestFiles.write("#!/bin/sh\necho start\n", to: root + "/src/bin/start", mode: 0o755)
        try SlugArchive.create(from: root + "/src", at: root + "/slug.tgz")
        let blobs = CountingBlobStore(root: root + "/blobs", delay: .milliseconds(300))
        let slug = try await blobs.store(fileAt: root + "/slug.tgz")
        let cache = SlugCache(blobs: blobs, directory: root + "/slugs", logger: logger)

        async let first = cache.prepare(slug)
        async let second = cache.prepare(slug)
        let (a, b) = try await (first, second)
        #expect(a == b)
        #expect(a == root + "/slugs/\(slug.sha256)/app")
        #expect(blobs.fetches == 1)

        #expect(try HostFiles.children(of: a) == ["Procfile", "bin", "lib"])
        #expect(try HostFiles.children(of: a + "/lib").count == 50)
        #expect(HostFiles.read(a + "/lib/file-49.txt") == "file 49\n")
        #expect(access(a + "/bin/start", X_OK) == 0)
        for path in [a, a + "/Procfile", a + "/bin/start", a + "/lib/file-0.txt"] {
            var info = stat()
            lstat(path, &info)
            #expect(info.st_uid == 10000 && info.st_gid == 10000, "\(path)")
        }
        // Only the finished slug is in the directory: no temporary directory, no archive.
        #expect(try HostFiles.children(of: root + "/slugs") == [slug.sha256])
        #expect(try HostFiles.children(of: root + "/slugs/\(slug.sha256)") == ["app"])

        #expect(try await cache.prepare(slug) == a)
        #expect(blobs.fetches == 1)
        // Another cache on the same directory (a restarted runner) finds it ready.
        let restarted = SlugCache(blobs: blobs, directory: root + "/slugs", logger: logger)
        #expect(try await restarted.prepare(slug) == a)
        #expect(blobs.fetches == 1)
    }

    @Test func missingOrCorruptSlugsFailAndLeaveNothingBehind() async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-cache-test")
        defer { TemporaryDirectory.remove(root) }
        let blobs = CountingBlobStore(root: root + "/blobs")
        let cache = SlugCache(blobs: blobs, directory: root + "/slugs", logger: logger)
        let missing = try #require(BlobID(sha256: String(repeating: "ab", count: 32)))
        let error = try await #require(throws: ContainerError.self) { try await cache.prepare(missing) }
        #expect(error.code == ContainerError.Code.slugUnavailable)

        try TestFiles.write("not a tar file", to: root + "/garbage")
        let garbage = try await blobs.store(fileAt: root + "/garbage")
        let second = try await #require(throws: ContainerError.self) { try await cache.prepare(garbage) }
        #expect(second.code == ContainerError.Code.slugUnavailable)
        #expect(try HostFiles.children(of: root + "/slugs") == [])
        // A failure is not remembered: the next call tries again.
        _ = try? await cache.prepare(garbage)
        #expect(blobs.fetches == 3)
    }
}
