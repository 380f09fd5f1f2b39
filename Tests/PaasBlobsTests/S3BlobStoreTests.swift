import AsyncHTTPClient
@testable import PaasBlobs
import PaasTesting
import Testing

/// Against a real S3 API: a moto_server per test, a bucket made with a signed PUT.
@Suite(.tags(.medium))
struct S3BlobStoreTests {
    /// Runs `body` with a store on a fresh bucket of a fresh moto_server that checks signatures,
    /// and a work directory.
    func withStore(_ body: (S3BlobStore, MotoServer, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-blobs-s3")
        defer { TemporaryDirectory.remove(directory) }
        try await MotoServer.withRunning(in: directory) { moto in
            let keys = try await moto.makeCredentialsAndRequireThem()
            let store = S3BlobStore(configuration: configuration(moto, accessKey: keys.accessKey, secretKey: keys.secretKey))
            try await store.createBucketIfNeeded()
            try await store.createBucketIfNeeded()  // already there: fine
            try await body(store, moto, directory)
        }
    }

    func configuration(_ moto: MotoServer, accessKey: String, secretKey: String) -> S3BlobStore.Configuration {
        S3BlobStore.Configuration(endpoint: moto.endpoint, bucket: "paas-blobs", accessKey: accessKey, secretKey: secretKey)
    }

    @Test func roundTripsAMultiMiBFileUnderItsSha256() async throws {
        try await withStore { store, _, directory in
            try await BlobStoreChecks.roundTrip(writer: store, reader: store, directory: directory)
        }
    }

    @Test func storingEqualContentIsIdempotent() async throws {
        try await withStore { store, _, directory in
            try await BlobStoreChecks.idempotentStore(store, directory: directory)
        }
    }

    @Test func containsSizeAndDelete() async throws {
        try await withStore { store, _, directory in
            try await BlobStoreChecks.containsSizeAndDelete(store, directory: directory)
        }
    }

    @Test func unknownBlobIsNotFound() async throws {
        try await withStore { store, _, directory in
            try await BlobStoreChecks.notFound(store, directory: directory)
        }
    }

    @Test func objectOverwrittenWithOtherBytesIsCorrupt() async throws {
        try await withStore { store, _, directory in
            let (id, source) = try await BlobStoreChecks.roundTrip(writer: store, reader: store, directory: directory)
            var bytes = try BlobFiles.contents(source)
            bytes[bytes.count / 2] ^= 0xff
            let response = try await store.send(.PUT, path: store.objectPath(id), body: bytes)
            _ = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status.code == 200)
            try await BlobStoreChecks.corruptionDetected(store, id: id, size: bytes.count, directory: directory)
        }
    }

    @Test func wrongSecretIsDeniedWithoutShowingTheSecret() async throws {
        try await withStore { store, moto, directory in
            let source = directory + "/small"
            try await BlobFiles.write("hello\n", to: source)
            let id = try await store.store(fileAt: source)
            let wrongSecret = "wrong-secret-Kp4vN7"
            let rightSecret = store.configuration.secretKey
            let intruder = S3BlobStore(
                configuration: configuration(moto, accessKey: store.configuration.accessKey, secretKey: wrongSecret))
            for attempt in [
                { _ = try await intruder.store(fileAt: source) },
                { try await intruder.fetch(id, to: directory + "/fetched") },
                { try await intruder.delete(id) },
            ] as [() async throws -> Void] {
                let error = await BlobStoreChecks.blobError(attempt)
                #expect(error?.code == BlobError.Code.denied)
                for text in [error?.message ?? "", error?.description ?? ""] {
                    #expect(!text.contains(wrongSecret))
                    #expect(!text.contains(rightSecret))
                    #expect(!text.contains("Signature="))
                }
            }
            #expect(BlobFiles.exists(directory + "/fetched") == false)
            #expect(try await store.contains(id))
            #expect(!"\(intruder.configuration)".contains(wrongSecret))
        }
    }

    @Test func unreachableEndpointIsUnavailableAndRetryable() async throws {
        let port = try FreePort.find()
        // Without retrying connections, so that the refusal shows at once.
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let store = S3BlobStore(
            configuration: .init(
                endpoint: "http://127.0.0.1:\(port)", bucket: "b", accessKey: "access", secretKey: "secret-Wq93"),
            client: client)
        let id = try #require(BlobID(sha256: String(repeating: "0", count: 64)))
        let error = await BlobStoreChecks.blobError { _ = try await store.contains(id) }
        try await client.shutdown()
        #expect(error?.code == BlobError.Code.unavailable)
        #expect(error?.retryable == true)
        #expect(error?.description.contains("secret-Wq93") == false)
    }
}
