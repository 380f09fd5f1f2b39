import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PaasBlobs
import PaasTesting
import Testing

/// `HTTPBlobStore` against `addBlobRoutes` serving a filesystem store from a Hummingbird app.
@Suite(.tags(.medium))
struct HTTPBlobStoreTests {
    static let token = "paas-test-token-Hn62"

    /// Runs `body` with the backing filesystem store, an `HTTPBlobStore` reading it through a
    /// server, the server and a work directory.
    func withStores(
        _ body: (FilesystemBlobStore, HTTPBlobStore, BlobServer, String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-blobs-http")
        defer { TemporaryDirectory.remove(directory) }
        let backing = FilesystemBlobStore(root: directory + "/store")
        try await BlobServer.withRunning(store: backing, token: Self.token) { server in
            try await body(backing, HTTPBlobStore(baseURL: server.baseURL, token: Self.token), server, directory)
        }
    }

    @Test func roundTripsAMultiMiBFileUnderItsSha256() async throws {
        try await withStores { backing, store, _, directory in
            try await BlobStoreChecks.roundTrip(writer: backing, reader: store, directory: directory)
        }
    }

    @Test func storeAndDeleteAreReadOnly() async throws {
        try await withStores { backing, store, _, directory in
            let source = directory + "/small"
            try await BlobFiles.write("hello\n", to: source)
            let id = try await backing.store(fileAt: source)
            let storeError = await BlobStoreChecks.blobError { _ = try await store.store(fileAt: source) }
            #expect(storeError?.code == BlobError.Code.readOnly)
            let deleteError = await BlobStoreChecks.blobError { try await store.delete(id) }
            #expect(deleteError?.code == BlobError.Code.readOnly)
            #expect(try await backing.contains(id))
        }
    }

    @Test func containsAndSizeFollowTheServersStore() async throws {
        try await withStores { backing, store, _, directory in
            let source = directory + "/small"
            try await BlobFiles.write("hello, blobs\n", to: source)
            let id = try await backing.store(fileAt: source)
            #expect(try await store.contains(id))
            #expect(try await store.size(of: id) == 13)
            // Storing again on the server changes nothing for clients.
            #expect(try await backing.store(fileAt: source) == id)
            #expect(try await store.size(of: id) == 13)
            try await backing.delete(id)
            #expect(try await store.contains(id) == false)
            #expect(try await store.size(of: id) == nil)
        }
    }

    @Test func unknownBlobIsNotFound() async throws {
        try await withStores { _, store, _, directory in
            try await BlobStoreChecks.notFound(store, directory: directory)
        }
    }

    @Test func corruptBlobOnTheServerIsNeverHandedOut() async throws {
        try await withStores { backing, store, _, directory in
            let (id, _) = try await BlobStoreChecks.roundTrip(writer: backing, reader: store, directory: directory)
            try BlobFiles.flipByte(in: backing.path(of: id))
            try await BlobStoreChecks.corruptionDetected(store, id: id, size: BlobStoreChecks.size, directory: directory)
        }
    }

    @Test func sendsItsTokenAndAWrongOneIsDenied() async throws {
        try await withStores { backing, _, server, directory in
            let source = directory + "/small"
            try await BlobFiles.write("hello\n", to: source)
            let id = try await backing.store(fileAt: source)
            let intruder = HTTPBlobStore(baseURL: server.baseURL, token: "wrong-token-Xy81")
            let error = await BlobStoreChecks.blobError { _ = try await intruder.fetch(id, to: directory + "/fetched") }
            #expect(error?.code == BlobError.Code.denied)
            #expect(error?.description.contains("wrong-token-Xy81") == false)
            #expect(BlobFiles.exists(directory + "/fetched") == false)
            let headError = await BlobStoreChecks.blobError { _ = try await intruder.contains(id) }
            #expect(headError?.code == BlobError.Code.denied)
        }
    }

    @Test func routesAnswerWithHeadersAndJSONErrors() async throws {
        try await withStores { backing, _, server, directory in
            let source = directory + "/small"
            try await BlobFiles.write("hello, blobs\n", to: source)
            let id = try await backing.store(fileAt: source)

            let get = try await request(.GET, server, "/v1/blobs/\(id.sha256)")
            #expect(get.status == 200)
            #expect(get.headers.first(name: "content-type") == "application/octet-stream")
            #expect(get.headers.first(name: "content-length") == "13")
            #expect(get.body == "hello, blobs\n")

            let head = try await request(.HEAD, server, "/v1/blobs/\(id.sha256)")
            #expect(head.status == 200)
            #expect(head.headers.first(name: "content-length") == "13")
            #expect(head.body.isEmpty)

            let missing = try await request(.GET, server, "/v1/blobs/" + String(repeating: "0", count: 64))
            #expect(missing.status == 404)
            #expect(missing.body.hasPrefix(#"{"error":{"#))
            #expect(missing.body.contains(#""code":"blob_not_found""#))
            #expect(missing.body.contains(#""retryable":false"#))

            let malformed = try await request(.GET, server, "/v1/blobs/not-a-sha")
            #expect(malformed.status == 400)
            #expect(malformed.body.contains(#""code":"invalid_blob_id""#))

            let anonymous = try await request(.GET, server, "/v1/blobs/\(id.sha256)", token: nil)
            #expect(anonymous.status == 401)
        }
    }

    func request(
        _ method: HTTPMethod, _ server: BlobServer, _ path: String, token: String? = token
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers, String(buffer: body))
    }
}
