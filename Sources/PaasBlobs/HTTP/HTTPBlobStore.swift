import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A read-only blob store served by another host's `addBlobRoutes` (the controller's
/// `/v1/blobs/:id`), for runners that do not share the controller's disk or S3 credentials.
///
/// Bytes are checked against the ID as they arrive, whatever the server did; `store` and
/// `delete` throw `read_only`.
public struct HTTPBlobStore: BlobStore {
    /// The server's base URL without `/v1`, e.g. `http://10.0.0.1:5100`.
    public let baseURL: String
    private let token: String
    private let client: HTTPClient

    /// A store reading from `baseURL` with the bearer `token`, over `client` (the shared client
    /// by default).
    public init(baseURL: String, token: String, client: HTTPClient = .shared) {
        var baseURL = baseURL
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        self.baseURL = baseURL
        self.token = token
        self.client = client
    }

    public func store(fileAt path: String) async throws -> BlobID {
        throw BlobError.readOnly("store blobs", url: baseURL)
    }

    public func delete(_ id: BlobID) async throws {
        throw BlobError.readOnly("delete blobs", url: baseURL)
    }

    public func size(of id: BlobID) async throws -> Int64? {
        let response = try await send(.HEAD, id)
        switch response.status.code {
        case 200:
            guard let length = response.headers.first(name: "content-length").flatMap(Int64.init) else {
                throw BlobError(
                    code: BlobError.Code.rejected,
                    message: "The blob server at \(baseURL) answered HEAD for blob \(id) without a Content-Length. "
                        + "Check that \(baseURL) is a paas controller.")
            }
            return length
        case 404:
            return nil
        default:
            throw try await error(for: response, id)
        }
    }

    public func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws {
        let response = try await send(.GET, id)
        guard response.status.code == 200 else { throw try await error(for: response, id) }
        var verifier = VerifyingChunks(id: id, place: "the blob server at \(baseURL)")
        var body = response.body.makeAsyncIterator()
        while let buffer = try await transport({ try await body.next() }) {
            try await verifier.receive(buffer, to: chunk)
        }
        try await verifier.finish(to: chunk)
    }

    private func url(_ id: BlobID) -> String { "\(baseURL)/v1/blobs/\(id.sha256)" }

    private func send(_ method: HTTPMethod, _ id: BlobID) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url(id))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        // A download may take long (blobs can be hundreds of MB); a HEAD should not.
        let timeout: TimeAmount = method == .GET ? .minutes(30) : .seconds(30)
        return try await transport { try await client.execute(request, timeout: timeout) }
    }

    private func transport<T>(_ step: () async throws -> T) async throws -> T {
        try await BlobError.whileReaching("Cannot download from the blob server at \(baseURL). Check that the controller is up and reachable, then retry.", step)
    }

    /// The error for a response other than 200 (404 on GET included).
    private func error(for response: HTTPClientResponse, _ id: BlobID) async throws -> BlobError {
        let bytes = (try? await response.body.collect(upTo: 64 << 10)).map { Array($0.readableBytesView) } ?? []
        let envelope = ErrorEnvelope.decode(bytes)?.error
        let status = Int(response.status.code)
        let serverSays = envelope.map { " The server says: \($0.message)" } ?? ""
        switch status {
        case 404:
            return .notFound(id, in: "the blob server at \(baseURL)")
        case 401, 403:
            return BlobError(
                code: BlobError.Code.denied,
                message: "The blob server at \(baseURL) refused the token (HTTP \(status)). Check the runner's token.")
        case 500 where envelope?.code == BlobError.Code.corrupt:
            return BlobError(
                code: BlobError.Code.corrupt,
                message: "Blob \(id) on the blob server at \(baseURL) is corrupt.\(serverSays)")
        case 500...599:
            return BlobError(
                code: BlobError.Code.unavailable,
                message: "The blob server at \(baseURL) failed (HTTP \(status)); retry later.\(serverSays)",
                retryable: true)
        default:
            return BlobError(
                code: envelope?.code == BlobError.Code.invalidID ? BlobError.Code.invalidID : BlobError.Code.rejected,
                message: "The blob server at \(baseURL) rejected the request for blob \(id) (HTTP \(status)).\(serverSays)")
        }
    }
}
