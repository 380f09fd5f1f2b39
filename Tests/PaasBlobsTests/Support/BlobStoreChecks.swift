// The behaviours every blob store shares, checked the same way for each of them.
import NIOCore
import PaasBlobs
import PaasTesting
import Testing

enum BlobStoreChecks {
    /// Several read chunks, the last one short.
    static let size = (5 << 20) + 12_345

    /// The error `body` throws as a `BlobError`; records an issue if it throws another error or none.
    static func blobError(
        _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> BlobError? {
        do {
            try await body()
            Issue.record("Expected a BlobError, but nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as BlobError {
            return error
        } catch {
            Issue.record("Expected a BlobError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Stores a multi-MiB random file through `writer`, reads it back through `reader` (fetch and
    /// read) and returns its ID and source path.
    @discardableResult
    static func roundTrip(writer: any BlobStore, reader: any BlobStore, directory: String) async throws -> (BlobID, String) {
        let source = directory + "/source"
        try await BlobFiles.makeRandom(at: source, size: size)
        let id = try await writer.store(fileAt: source)
        let expected = try await BlobFiles.sha256sum(source)
        #expect(id.sha256 == expected)

        let destination = directory + "/fetched"
        try await reader.fetch(id, to: destination)
        #expect(try await BlobFiles.same(source, destination))

        var streamed: [UInt8] = []
        try await reader.read(id) { streamed += $0.readableBytesView }
        #expect(streamed == (try BlobFiles.contents(source)))
        #expect(try await reader.size(of: id) == Int64(size))
        #expect(try await reader.contains(id))
        #expect(temporaryFiles(in: directory).isEmpty)
        return (id, source)
    }

    /// Storing the same content twice gives the same ID and one blob.
    static func idempotentStore(_ store: any BlobStore, directory: String) async throws {
        let first = directory + "/first", second = directory + "/second"
        try await BlobFiles.makeRandom(at: first, size: 300_000)
        let firstID = try await store.store(fileAt: first)
        _ = try await runProgram("/bin/cp", [first, second])
        let secondID = try await store.store(fileAt: second)
        let againID = try await store.store(fileAt: first)
        #expect(firstID == secondID)
        #expect(firstID == againID)
        #expect(try await store.size(of: firstID) == 300_000)
        let fetched = directory + "/fetched"
        try await store.fetch(firstID, to: fetched)
        #expect(try await BlobFiles.same(first, fetched))
    }

    /// contains, size and delete, including on absent blobs.
    static func containsSizeAndDelete(_ store: any BlobStore, directory: String) async throws {
        let source = directory + "/small"
        try await BlobFiles.write("hello, blobs\n", to: source)
        let id = try await store.store(fileAt: source)
        #expect(try await store.contains(id))
        #expect(try await store.size(of: id) == 13)
        try await store.delete(id)
        #expect(try await store.contains(id) == false)
        #expect(try await store.size(of: id) == nil)
        try await store.delete(id)  // deleting an absent blob is fine
    }

    /// Reading or fetching an unknown blob throws `blob_not_found` and makes no file.
    static func notFound(_ store: any BlobStore, directory: String) async throws {
        let id = try #require(BlobID(sha256: String(repeating: "ab", count: 32)))
        #expect(try await store.contains(id) == false)
        #expect(try await store.size(of: id) == nil)
        var chunks = 0
        let readError = await blobError { try await store.read(id) { _ in chunks += 1 } }
        #expect(readError?.code == BlobError.Code.notFound)
        #expect(chunks == 0)
        let destination = directory + "/absent"
        let fetchError = await blobError { try await store.fetch(id, to: destination) }
        #expect(fetchError?.code == BlobError.Code.notFound)
        #expect(BlobFiles.exists(destination) == false)
        #expect(temporaryFiles(in: directory).isEmpty)
    }

    /// After the blob `id` of `size` bytes was damaged in the store: fetch and read throw
    /// `blob_corrupt`, fetch leaves no file, and read never passed the whole blob on.
    static func corruptionDetected(_ store: any BlobStore, id: BlobID, size: Int, directory: String) async throws {
        let destination = directory + "/fetched-corrupt"
        let fetchError = await blobError { try await store.fetch(id, to: destination) }
        #expect(fetchError?.code == BlobError.Code.corrupt)
        #expect(BlobFiles.exists(destination) == false)

        var passedOn = 0
        let readError = await blobError { try await store.read(id) { passedOn += $0.readableBytes } }
        #expect(readError?.code == BlobError.Code.corrupt)
        #expect(passedOn < size)
        #expect(temporaryFiles(in: directory).isEmpty)
    }

    /// Leftover temporary files of atomic writes.
    static func temporaryFiles(in directory: String) -> [String] {
        BlobFiles.entries(directory).filter { $0.hasPrefix(".tmp-") }
    }
}
