import Hummingbird
import Logging
import NIOCore

/// Adds the blob download routes to `group`, for `HTTPBlobStore` clients on other hosts:
///
/// - `GET /blobs/:id` streams the blob (`Content-Type: application/octet-stream`,
///   `Content-Length`), checked against its ID first;
/// - `HEAD /blobs/:id` answers with the headers alone.
///
/// Unknown blobs answer 404 `blob_not_found`, malformed IDs 400 `invalid_blob_id`, corrupt blobs
/// 500 `blob_corrupt`, all as the platform's JSON error envelope. The routes do not authenticate:
/// mount them on a group that does (the controller's `/v1`).
public func addBlobRoutes<Context: RequestContext>(to group: RouterGroup<Context>, store: any BlobStore) {
    group.get("blobs/:id") { _, context in
        try await BlobRoutes.get(context: context, store: store)
    }
    group.head("blobs/:id") { _, context in
        try await BlobRoutes.head(context: context, store: store)
    }
}

/// The handlers behind `addBlobRoutes`.
enum BlobRoutes {
    static func head(context: some RequestContext, store: any BlobStore) async throws -> Response {
        guard let id = BlobID(sha256: context.parameters.get("id") ?? "") else { return invalidID(context) }
        do {
            guard let size = try await store.size(of: id) else {
                return errorResponse(.notFound, BlobError.notFound(id, in: "this blob store"))
            }
            return Response(status: .ok, headers: headers(size: size))
        } catch let error as BlobError {
            return failure(error, context: context)
        }
    }

    static func get(context: some RequestContext, store: any BlobStore) async throws -> Response {
        guard let id = BlobID(sha256: context.parameters.get("id") ?? "") else { return invalidID(context) }
        do {
            guard let size = try await store.size(of: id) else {
                return errorResponse(.notFound, BlobError.notFound(id, in: "this blob store"))
            }
            // Once the headers are out, an error can only cut the body short, which a client
            // cannot tell from a network failure. So the blob is checked in full first, and a
            // damaged one answered with a proper `blob_corrupt` error instead of a torn stream.
            // This costs a second read of the blob on the server.
            try await store.read(id) { _ in }
            let logger = context.logger
            let body = ResponseBody(contentLength: Int(size)) { writer in
                do {
                    try await store.read(id) { try await writer.write($0) }
                } catch {
                    logger.error("Blob stream aborted", metadata: ["blob": "\(id.sha256)", "error": "\(error)"])
                    throw error
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers(size: size), body: body)
        } catch let error as BlobError {
            return failure(error, context: context)
        }
    }

    private static func invalidID(_ context: some RequestContext) -> Response {
        let text = context.parameters.get("id") ?? ""
        return errorResponse(
            .badRequest,
            BlobError(
                code: BlobError.Code.invalidID,
                message: "'\(text.prefix(80))' is not a blob ID. A blob ID is a sha256: 64 hexadecimal digits."))
    }

    private static func headers(size: Int64) -> HTTPFields {
        [.contentType: "application/octet-stream", .contentLength: String(size)]
    }

    private static func failure(_ error: BlobError, context: some RequestContext) -> Response {
        let status: HTTPResponse.Status =
            switch error.code {
            case BlobError.Code.notFound: .notFound
            case BlobError.Code.unavailable, BlobError.Code.denied: .serviceUnavailable
            default: .internalServerError
            }
        context.logger.error("Blob request failed", metadata: ["code": "\(error.code)", "error": "\(error)"])
        return errorResponse(status, error)
    }

    private static func errorResponse(_ status: HTTPResponse.Status, _ error: BlobError) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: ErrorEnvelope(error).encoded())))
    }
}
