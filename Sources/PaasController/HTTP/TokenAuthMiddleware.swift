import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>` naming a known token whose
/// scope allows it (else 403), and records the token's owner as the request's actor.
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
        guard let holder = try await store.tokenHolder(token) else {
            throw ControllerError.invalidToken
        }
        guard holder.scope.allows(method: request.method.rawValue, path: request.uri.path) else {
            throw ControllerError.outOfScope(holder.scope)
        }
        var context = context
        context.actor = holder.name
        context.token = holder
        context.logger[metadataKey: "actor"] = "\(holder.name)"
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

    static func outOfScope(_ scope: TokenScope) -> ControllerError {
        ControllerError(
            status: .forbidden, code: "token_out_of_scope",
            message: "This token may only \(scope.purpose) (scope '\(scope.rawValue)'). Use an admin token for this request.")
    }
}
