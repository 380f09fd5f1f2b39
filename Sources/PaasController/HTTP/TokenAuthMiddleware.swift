import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>` naming a known token, and
/// records the token's owner as the request's actor.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = ControllerRequestContext
    let store: ControllerStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ControllerError.unauthorized
        }
        let token = String(header.dropFirst("Bearer ".count))
        guard let owner = try await store.tokenOwner(token) else {
            throw ControllerError.invalidToken
        }
        var context = context
        context.actor = owner
        context.logger[metadataKey: "actor"] = "\(owner)"
        return try await next(request, context)
    }
}

extension ControllerError {
    static let unauthorized = ControllerError(
        status: .unauthorized, code: "unauthorized",
        message: "This request needs an API token: send 'Authorization: Bearer <token>'. Run 'paas login' to set one up.")
    static let invalidToken = ControllerError(
        status: .unauthorized, code: "invalid_token",
        message: "The API token is not valid. Run 'paas login' with a current token.")
}
