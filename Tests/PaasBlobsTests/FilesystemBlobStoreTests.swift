import Foundation
import PaasBlobs
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct FilesystemBlobStoreTests {
    /// Runs `body` with a store in a fresh directory and a work directory, both removed after.
    func withStore(_ body: (FilesystemBlobStore, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-blobs-fs")
        defer { TemporaryDirectory.remove(directory) }
        try await body(FilesystemBlobStore(root: directory + "/store"), directory)
    }

    @Test func roundTripsAMultiMiBFileUnderItsSha256() async throws {
        try await withStore { store, directory in
            let (id, _) = try await BlobStoreChecks.roundTrip(writer: store, reader: store, directory: directory)
            // Fanned out by the first two hex digits, no temporary files left in the root.
            #expect(store.path(of: id) == "\(directory)/store/\(id.sha256.prefix(2))/\(id.sha256)")
            #expect(BlobFiles.exists(store.path(of: id)))
            #expect(BlobStoreChecks.temporaryFiles(in: directory + "/store").isEmpty)
        }
    }

    /// Slugs and add-on backups may hold secrets: only the platform's own user reads them.
    @Test func blobsAndTheirDirectoriesAreTheOwnersAlone() async throws {
        try await withStore { store, directory in
            let (id, _) = try await BlobStoreChecks.roundTrip(writer: store, reader: store, directory: directory)
            let path = store.path(of: id)
            for (file, mode) in [(path, 0o600), (directory + "/store/" + id.sha256.prefix(2), 0o700), (directory + "/store", 0o700)] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == mode, "\(file)")
            }
        }
    }

    @Test func storingEqualContentIsIdempotent() async throws {
        try await withStore { store, directory in
            try await BlobStoreChecks.idempotentStore(store, directory: directory)
            #expect(BlobStoreChecks.temporaryFiles(in: directory + "/store").isEmpty)
        }
    }

    @Test func containsSizeAndDelete() async throws {
        try await withStore { store, directory in
            try await BlobStoreChecks.containsSizeAndDelete(store, directory: directory)
        }
    }

    @Test func unknownBlobIsNotFound() async throws {
        try await withStore { store, directory in
            try await BlobStoreChecks.notFound(store, directory: directory)
        }
    }

    @Test func storingAMissingFileFailsWithIOError() async throws {
        try await withStore { store, directory in
            let error = await BlobStoreChecks.blobError { _ = try await store.store(fileAt: directory + "/nope") }
            #expect(error?.code == BlobError.Code.ioFailed)
            #expect(error?.message.contains(directory + "/nope") == true)
        }
    }

    @Test func corruptFileOnDiskIsNeverHandedOut() async throws {
        try await withStore { store, directory in
            let (id, source) = try await BlobStoreChecks.roundTrip(writer: store, reader: store, directory: directory)
            try BlobFiles.flipByte(in: store.path(of: id))
            try await BlobStoreChecks.corruptionDetected(store, id: id, size: BlobStoreChecks.size, directory: directory)

            // A file already at the destination stays as it was.
            let existing = directory + "/existing"
            try await BlobFiles.write("keep me\n", to: existing)
            let error = await BlobStoreChecks.blobError { try await store.fetch(id, to: existing) }
            #expect(error?.code == BlobError.Code.corrupt)
            #expect(try BlobFiles.contents(existing) == Array("keep me\n".utf8))

            // Storing the content again repairs the blob.
            #expect(try await store.store(fileAt: source) == id)
            try await store.fetch(id, to: existing)
            #expect(try await BlobFiles.same(source, existing))
        }
    }
}
