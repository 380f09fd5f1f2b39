import Hummingbird
import PaasAPI

/// Lets a request through only with `Authorization: Bearer <token>` naming the one token this
/// service accepts (a runner's host token), compared in constant time.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    public init(token: String) {
        self.token = Array(token.utf8)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return ErrorEnvelopeMiddleware<Context>.response(
                status: .unauthorized,
                body: APIErrorBody(code: "unauthorized", message: "This request needs the host token: send 'Authorization: Bearer <token>'."))
        }
        guard Self.equal(Array(header.utf8.dropFirst("Bearer ".utf8.count)), token) else {
            return ErrorEnvelopeMiddleware<Context>.response(
                status: .unauthorized, body: APIErrorBody(code: "invalid_token", message: "The host token is not valid."))
        }
        return try await next(request, context)
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
