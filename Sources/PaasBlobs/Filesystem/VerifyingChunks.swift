import Crypto
import NIOCore

/// Passes a blob's chunks on while hashing them, one chunk behind, so that the last chunk is
/// released only once the whole blob has been checked against its ID (`BlobStore.read`).
struct VerifyingChunks {
    let id: BlobID
    /// Where the bytes come from, for error messages.
    let place: String
    private var hasher = SHA256()
    private var heldBack: ByteBuffer?

    init(id: BlobID, place: String) {
        self.id = id
        self.place = place
    }

    /// Hashes `chunk` and passes on the one before it.
    mutating func receive(_ chunk: ByteBuffer, to consume: (ByteBuffer) async throws -> Void) async throws {
        guard chunk.readableBytes > 0 else { return }
        chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        if let previous = heldBack.take() { try await consume(previous) }
        heldBack = chunk
    }

    /// Checks the hash and passes on the last chunk; throws `blob_corrupt` on a mismatch.
    mutating func finish(to consume: (ByteBuffer) async throws -> Void) async throws {
        let actual = BlobID(digest: hasher.finalize())
        guard actual == id else {
            heldBack = nil
            throw BlobError.corrupt(id, actual: actual, in: place)
        }
        if let last = heldBack.take() { try await consume(last) }
    }
}
