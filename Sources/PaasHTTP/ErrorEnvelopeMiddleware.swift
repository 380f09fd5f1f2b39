#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import PaasAPI

/// An error a service answers with: an HTTP status and the envelope's body. Each service's
/// error type conforms; `ErrorEnvelopeMiddleware` maps them all.
public protocol APIErrorConvertible: Error {
    /// The HTTP status to answer with.
    var httpStatus: HTTPResponse.Status { get }
    /// The envelope's body: code, message, retryable.
    var apiErrorBody: APIErrorBody { get }
}

/// Turns every error into the API's error envelope, in this one place for every
/// service (controller, runner). Unexpected errors become a plain 500 whose details go to the
/// log, never to the client.
public struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any APIErrorConvertible {
            return Self.response(status: error.httpStatus, body: error.apiErrorBody)
        } catch let error as HTTPError {
            return Self.response(status: error.status, body: Self.body(for: error))
        } catch is NIOTooManyBytesError {
            return Self.response(status: .contentTooLarge, body: Self.body(for: HTTPError(.contentTooLarge)))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            let body = APIErrorBody(
                code: "internal_error",
                message: "The server hit an unexpected error. Try again; if it keeps failing, check the paasd log.",
                retryable: true)
            return Self.response(status: .internalServerError, body: body)
        }
    }

    private static func body(for error: HTTPError) -> APIErrorBody {
        switch error.status {
        case .notFound:
            return APIErrorBody(code: "not_found", message: "No such endpoint. See Sources/PaasAPI/openapi.yaml for the API.")
        case .contentTooLarge:
            return APIErrorBody(code: "body_too_large", message: "The request body is too large (the API takes at most 1 MiB).")
        case .badRequest:
            let detail = (error.body ?? "check its JSON body").trimmingTrailingPeriods
            return APIErrorBody(code: "bad_request", message: "The request is malformed: \(detail).")
        default:
            return APIErrorBody(code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
        }
    }

    /// The envelope response for `body`; 401s carry `WWW-Authenticate`.
    public static func response(status: HTTPResponse.Status, body: APIErrorBody) -> Response {
        let data = (try? APICoding.makeEncoder().encode(APIErrorEnvelope(error: body))) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"paas\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension String {
    fileprivate var trimmingTrailingPeriods: String {
        var text = Substring(self)
        while text.last == "." { text.removeLast() }
        return String(text)
    }
}
