#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import NIOCore
import _NIOFileSystem

/// A blob store in a local directory: each blob is a file named by its sha256, fanned out by the
/// first two hex digits (`root/9f/9f86d0…`) so that no directory grows huge.
///
/// Writes are atomic (a temporary file in `root`, fsync, rename), so a crash never leaves a
/// partial blob under a blob's name. Every read and fetch re-hashes the bytes: a file damaged on
/// disk is reported as `blob_corrupt`, never handed out.
public struct FilesystemBlobStore: BlobStore {
    /// The directory that holds the blobs; created on first store.
    public let root: String
    /// How many bytes are read from disk at a time.
    static let chunkLength = ByteCount.kibibytes(256)

    /// A store in `root` (created when the first blob is stored).
    public init(root: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// The path of the blob's file.
    public func path(of id: BlobID) -> String {
        let hex = id.sha256
        return "\(root)/\(hex.prefix(2))/\(hex)"
    }

    public func store(fileAt path: String) async throws -> BlobID {
        try await makeDirectory(root)
        let (id, temporaryPath) = try await AtomicFile.write(in: root) { file in
            var hasher = SHA256()
            try await readFile(at: path, missing: nil) { chunk in
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try await file.append(chunk)
            }
            return BlobID(digest: hasher.finalize())
        }
        do {
            try await makeDirectory(self.path(of: id).directoryPart)
            // Renaming over an existing blob keeps the store idempotent and also repairs a copy
            // that was damaged on disk; readers that have the old file open keep reading it.
            try AtomicFile.commit(temporaryPath, to: self.path(of: id))
        } catch {
            unlink(temporaryPath)
            throw error
        }
        return id
    }

    public func delete(_ id: BlobID) async throws {
        let path = self.path(of: id)
        do {
            try await FileSystem.shared.removeItem(at: FilePath(path), strategy: .platformDefault, recursively: false)
        } catch let error as FileSystemError {
            throw BlobError.io("delete", path: path, cause: error)
        }
    }

    public func size(of id: BlobID) async throws -> Int64? {
        let path = self.path(of: id)
        do {
            guard let info = try await FileSystem.shared.info(forFileAt: FilePath(path), infoAboutSymbolicLink: false)
            else { return nil }
            return info.size
        } catch let error as FileSystemError {
            throw BlobError.io("inspect", path: path, cause: error)
        }
    }

    public func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws {
        let place = "the blob store at \(root)"
        var verifier = VerifyingChunks(id: id, place: place)
        try await readFile(at: path(of: id), missing: .notFound(id, in: place)) { buffer in
            try await verifier.receive(buffer, to: chunk)
        }
        try await verifier.finish(to: chunk)
    }

    /// Streams the file at `path` in chunks to `body`. A missing file throws `missing` (or
    /// `blob_io_failed` when nil), as do other file system errors; errors of `body` pass through.
    private func readFile(
        at path: String, missing: BlobError?, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        let handle: ReadFileHandle
        do {
            handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(path), options: .init())
        } catch let error as FileSystemError {
            if error.code == .notFound, let missing { throw missing }
            throw BlobError.io("read", path: path, cause: error)
        }
        do {
            var chunks = handle.readChunks(chunkLength: Self.chunkLength).makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await chunks.next()
                } catch let error as FileSystemError {
                    throw BlobError.io("read", path: path, cause: error)
                }
                guard let buffer = next else { break }
                try await body(buffer)
            }
        } catch {
            try? await handle.close()
            throw error
        }
        try? await handle.close()
    }

    private func makeDirectory(_ path: String) async throws {
        do {
            try await FileSystem.shared.createDirectory(
                at: FilePath(path), withIntermediateDirectories: true, permissions: [.ownerReadWriteExecute])
        } catch let error as FileSystemError where error.code == .fileAlreadyExists {
            return
        } catch let error as FileSystemError {
            throw BlobError.io("create the directory", path: path, cause: error)
        }
    }
}

extension String {
    /// Everything before the last `/`: the directory of a path (`.` for a bare name).
    var directoryPart: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }
}
