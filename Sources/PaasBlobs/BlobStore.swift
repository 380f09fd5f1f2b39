import NIOCore

/// Content-addressed storage of large immutable files: slugs, build caches, backups.
///
/// Blobs are named by the sha256 of their bytes, never change once stored, and are verified on
/// every read: a store never hands out bytes that do not hash to the ID asked for.
/// Implementations stream; none loads a whole blob in memory.
public protocol BlobStore: Sendable {
    /// Stores the file's bytes; returns their sha256 id. Idempotent for equal content.
    func store(fileAt path: String) async throws -> BlobID

    /// Writes the blob to `path` atomically (temp file + rename), verifying the sha256 while
    /// writing; a mismatch throws `BlobError` `blob_corrupt` and leaves no file at `path`.
    /// A file already at `path` is replaced only on success.
    func fetch(_ id: BlobID, to path: String) async throws

    /// Whether the store holds the blob (without verifying its bytes).
    func contains(_ id: BlobID) async throws -> Bool

    /// Removes the blob; removing a blob that is not there is not an error.
    func delete(_ id: BlobID) async throws

    /// The blob's size in bytes, or nil when the store does not hold it.
    func size(of id: BlobID) async throws -> Int64?

    /// Streams the blob's bytes to `chunk`, in order, hashing them as they pass.
    ///
    /// Throws `blob_not_found` before the first chunk when the blob is absent. The last chunk is
    /// held back until the whole blob has been hashed: when the bytes do not match the ID, it
    /// throws `blob_corrupt` instead, so a consumer never passes on a complete corrupt blob.
    func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws
}

extension BlobStore {
    /// Streams the blob through `read` into a temporary file beside `path`, renamed into place
    /// only once the whole blob has been verified.
    public func fetch(_ id: BlobID, to path: String) async throws {
        let (_, temporaryPath) = try await AtomicFile.write(in: path.directoryPart) { file in
            try await read(id) { try await file.append($0) }
        }
        try AtomicFile.commit(temporaryPath, to: path)
    }

    /// Asks for the blob's size.
    public func contains(_ id: BlobID) async throws -> Bool {
        try await size(of: id) != nil
    }
}
