// A Hummingbird app on port 0 serving a blob store the way the controller does: the blob routes
// on a `/v1` group behind a bearer token.
import Hummingbird
import Logging
import NIOCore
import PaasBlobs
import PaasTesting

/// A running blob server for one test.
struct BlobServer {
    let baseURL: String
    let token: String

    /// Serves `store` under `/v1` with bearer `token`, runs `body`, then shuts the server down.
    static func withRunning<T: Sendable>(
        store: any BlobStore, token: String, _ body: (BlobServer) async throws -> T
    ) async throws -> T {
        let router = Router()
        let v1 = router.group("v1").add(middleware: BearerTokenMiddleware(token: token))
        addBlobRoutes(to: v1, store: store)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "paas-blobs-test-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        defer { continuation.finish() }
        return try await withServing(app, logger: logger) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestFailure("The blob server did not start.") }
            return try await body(BlobServer(baseURL: "http://127.0.0.1:\(port)", token: token))
        }
    }
}

/// Answers 401 unless the request carries `Authorization: Bearer <token>`; stands in for the
/// controller's own authentication.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return Response(status: .unauthorized)
        }
        return try await next(request, context)
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
