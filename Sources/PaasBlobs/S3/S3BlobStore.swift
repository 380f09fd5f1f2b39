#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1
import _NIOFileSystem

/// A blob store in an S3-compatible bucket (AWS S3, MinIO, Ceph, moto), one object per blob at
/// `keyPrefix + sha256`, spoken to over HTTP with AWS Signature V4.
///
/// Uploads declare the file's sha256 in `x-amz-content-sha256`, so S3 itself refuses a body that
/// changed on the way; downloads are checked against the ID as they stream.
public struct S3BlobStore: BlobStore {
    /// Where the blobs are.
    public let configuration: Configuration
    private let client: HTTPClient
    private let signer: SignatureV4
    /// The endpoint without a trailing slash.
    private let endpoint: String
    /// How long an upload or download may take, body included (blobs can be hundreds of MB).
    static let transferTimeout = TimeAmount.minutes(30)
    /// How long any other request may take; also bounds the wait for an unreachable endpoint.
    static let requestTimeout = TimeAmount.seconds(30)
    static let chunkLength = ByteCount.kibibytes(256)

    /// A store on `configuration`'s bucket, over `client` (the shared client by default).
    public init(configuration: Configuration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
        self.signer = SignatureV4(
            accessKey: configuration.accessKey, secretKey: configuration.secretKey, region: configuration.region)
        var endpoint = configuration.endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
    }

    /// Creates the bucket; a bucket that is already there and ours is not an error.
    public func createBucketIfNeeded() async throws {
        var body: [UInt8] = []
        if configuration.region != "us-east-1" {
            body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let response = try await send(.PUT, path: bucketPath, body: body)
        if response.status.code == 200 { return try await drain(response) }
        let error = try await self.error(for: response, doing: "create the bucket", id: nil)
        if error.s3Code == "BucketAlreadyOwnedByYou" { return }
        throw error.blobError
    }

    public func store(fileAt path: String) async throws -> BlobID {
        // First pass: the hash (and size), which S3 wants before the body.
        var hasher = SHA256()
        var size: Int64 = 0
        try await readFile(at: path) { chunk in
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            size += Int64(chunk.readableBytes)
        }
        let id = BlobID(digest: hasher.finalize())
        if try await self.size(of: id) == size { return id }

        let handle: ReadFileHandle
        do {
            handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(path), options: .init())
        } catch let error as FileSystemError {
            throw BlobError.io("read", path: path, cause: error)
        }
        let response: HTTPClientResponse
        do {
            let body = HTTPClientRequest.Body.stream(
                handle.readChunks(in: 0..<size, chunkLength: Self.chunkLength), length: .known(size))
            response = try await send(
                .PUT, path: objectPath(id), body: body, payloadHash: id.sha256, timeout: Self.transferTimeout)
            try? await handle.close()
        } catch {
            try? await handle.close()
            throw error
        }
        guard response.status.code == 200 else {
            throw try await self.error(for: response, doing: "upload", id: id).blobError
        }
        try await drain(response)
        return id
    }

    public func delete(_ id: BlobID) async throws {
        let response = try await send(.DELETE, path: objectPath(id))
        guard response.status.code == 204 || response.status.code == 200 || response.status.code == 404 else {
            throw try await error(for: response, doing: "delete", id: id).blobError
        }
        try await drain(response)
    }

    public func size(of id: BlobID) async throws -> Int64? {
        let response = try await send(.HEAD, path: objectPath(id))
        switch response.status.code {
        case 200:
            guard let length = response.headers.first(name: "content-length").flatMap(Int64.init) else {
                throw BlobError(
                    code: BlobError.Code.rejected,
                    message: "\(place) answered HEAD for blob \(id) without a Content-Length. Check that the endpoint is S3-compatible.")
            }
            return length
        case 404:
            return nil
        default:
            throw try await error(for: response, doing: "look up", id: id).blobError
        }
    }

    public func read(_ id: BlobID, chunk: (ByteBuffer) async throws -> Void) async throws {
        let response = try await send(
            .GET, path: objectPath(id), body: nil, payloadHash: SignatureV4.emptyPayloadHash, timeout: Self.transferTimeout)
        guard response.status.code == 200 else {
            throw try await error(for: response, doing: "download", id: id).blobError
        }
        var verifier = VerifyingChunks(id: id, place: place)
        var body = response.body.makeAsyncIterator()
        while let buffer = try await transport({ try await body.next() }) {
            try await verifier.receive(buffer, to: chunk)
        }
        try await verifier.finish(to: chunk)
    }

    // MARK: - Requests

    /// Names the bucket for messages: endpoint and bucket, no credentials.
    private var place: String { "the S3 bucket '\(configuration.bucket)' at \(endpoint)" }

    private var bucketPath: String { "/" + SignatureV4.encode(configuration.bucket) }

    /// The object path of a blob (the key is the prefix and the sha256).
    func objectPath(_ id: BlobID) -> String {
        bucketPath + "/" + SignatureV4.encode(configuration.keyPrefix + id.sha256, keepSlash: true)
    }

    /// Sends a signed request with a small in-memory body (empty by default).
    func send(_ method: HTTPMethod, path: String, body: [UInt8] = []) async throws -> HTTPClientResponse {
        try await send(
            method, path: path, body: body.isEmpty ? nil : .bytes(ByteBuffer(bytes: body)),
            payloadHash: Hex.encode(SHA256.hash(data: body)), timeout: Self.requestTimeout)
    }

    /// Sends a signed request; network failures become `blob_store_unavailable`.
    private func send(
        _ method: HTTPMethod, path: String, body: HTTPClientRequest.Body?, payloadHash: String, timeout: TimeAmount
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: endpoint + path)
        request.method = method
        let host = hostHeader
        request.headers.add(name: "Host", value: host)
        for (name, value) in signer.signedHeaders(
            method: method.rawValue, path: path, headers: [("host", host)], payloadHash: payloadHash,
            date: Int(time(nil)))
        {
            request.headers.add(name: name, value: value)
        }
        request.body = body
        return try await transport { try await client.execute(request, timeout: timeout) }
    }

    /// `host[:port]` of the endpoint, as it must be signed and sent.
    private var hostHeader: String {
        var rest = Substring(endpoint)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasSuffix(":80") && endpoint.hasPrefix("http://") { rest = rest.dropLast(3) }
        if rest.hasSuffix(":443") && endpoint.hasPrefix("https://") { rest = rest.dropLast(4) }
        return String(rest)
    }

    /// Reads the (small) body of a successful answer, so the connection can be reused.
    private func drain(_ response: HTTPClientResponse) async throws {
        _ = try await transport { try await response.body.collect(upTo: 1 << 20) }
    }

    private func transport<T>(_ step: () async throws -> T) async throws -> T {
        try await BlobError.whileReaching("Cannot reach \(place). Check that the endpoint is up and reachable, then retry.", step)
    }

    private func readFile(at path: String, _ body: (ByteBuffer) async throws -> Void) async throws {
        do {
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                for try await chunk in handle.readChunks(chunkLength: Self.chunkLength) {
                    try await body(chunk)
                }
            }
        } catch let error as FileSystemError {
            throw BlobError.io("read", path: path, cause: error)
        }
    }

    // MARK: - Errors

    /// An S3 error answer: S3's own code (from the XML body) and the error it maps to.
    struct Failure {
        var s3Code: String?
        var blobError: BlobError
    }

    /// Maps a response other than success. Only S3's error code is kept from the body: the rest
    /// can echo the request's signature.
    private func error(for response: HTTPClientResponse, doing action: String, id: BlobID?) async throws -> Failure {
        let bytes = (try? await response.body.collect(upTo: 64 << 10)).map { Array($0.readableBytesView) } ?? []
        let s3Code = Self.xmlElement("Code", in: String(decoding: bytes, as: UTF8.self))
        let status = Int(response.status.code)
        let what = "\(status)\(s3Code.map { " \($0)" } ?? "")"
        let blob = id.map { " blob \($0)" } ?? ""
        let error: BlobError
        switch status {
        case 404 where s3Code != "NoSuchBucket" && id != nil:
            error = .notFound(id!, in: place)
        case 401, 403:
            error = BlobError(
                code: BlobError.Code.denied,
                message: "\(place) refused the credentials to \(action)\(blob) (HTTP \(what)). "
                    + "Check the access key and secret key, and that they may use the bucket.")
        case 500...599:
            error = BlobError(
                code: BlobError.Code.unavailable,
                message: "\(place) failed to \(action)\(blob) (HTTP \(what)); retry later.", retryable: true)
        default:
            error = BlobError(
                code: BlobError.Code.rejected,
                message: "\(place) rejected the request to \(action)\(blob) (HTTP \(what)). "
                    + "Check that the bucket exists and the endpoint and region are right.")
        }
        return Failure(s3Code: s3Code, blobError: error)
    }

    /// The text of the first `<name>` element, for S3's small error documents.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        guard let start = xml.firstRange(of: "<\(name)>"),
            let end = xml[start.upperBound...].firstRange(of: "</\(name)>")
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }
}
