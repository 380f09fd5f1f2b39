import HTTPTypes
import Hummingbird
import NIOCore

extension GitReceiver {
    /// Serves the apps' repositories at `/<app>.git/...` and the hooks' callback at
    /// `/internal/git/pushes/<id>` on `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(":repository/info/refs") { request, context in
            try await advertiseRefs(request: request, repository: context.parameters.get("repository") ?? "")
        }
        router.post(":repository/git-receive-pack") { request, context in
            try await serve("receive-pack", request: request, repository: context.parameters.get("repository") ?? "")
        }
        router.post(":repository/git-upload-pack") { request, context in
            try await serve("upload-pack", request: request, repository: context.parameters.get("repository") ?? "")
        }
        router.post("internal/git/pushes/:id") { request, context in
            try await hookCallback(request: request, sessionID: context.parameters.get("id") ?? "", context: context)
        }
    }

    private func advertiseRefs(request: Request, repository: String) async throws -> Response {
        let service = request.uri.queryParameters.get("service") ?? ""
        guard service == "git-receive-pack" || service == "git-upload-pack" else {
            return errorResponse(.unknownService(service))
        }
        let authorization = try await authorize(request, repository: repository)
        guard case .allowed(let app, _) = authorization else { return authorization.deniedResponse }
        var program = GitProgram(service: String(service.dropFirst("git-".count)), repository: try await repositories.prepare(app))
        program.environment["GIT_PROTOCOL"] = request.headers[.gitProtocol]
        var body: [UInt8] = []
        // Protocol v2 (fetches) starts without the service line, as git-http-backend does.
        if !(request.headers[.gitProtocol] ?? "").contains("version=2") {
            body = PktLine.encode("# service=\(service)\n") + PktLine.flush
        }
        body += try await program.advertisement()
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-\(service)-advertisement", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func serve(_ service: String, request: Request, repository: String) async throws -> Response {
        let authorization = try await authorize(request, repository: repository)
        guard case .allowed(let app, let actor) = authorization else { return authorization.deniedResponse }
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > repositories.maxPushSize {
            return errorResponse(.pushTooLarge(limit: repositories.maxPushSize))
        }
        let path = try await repositories.prepare(app)
        var program = GitProgram(service: service, repository: path)
        program.environment["GIT_PROTOCOL"] = request.headers[.gitProtocol]
        let gzipped = request.headers[.contentEncoding]?.lowercased().contains("gzip") ?? false
        let session = service == "receive-pack" ? sessions.open(app: app, actor: actor, repository: path) : nil
        if let session {
            do {
                program.environment["PAAS_PUSH_URL"] = try callbackURL(for: session)
            } catch {
                sessions.close(session)
                throw error
            }
            program.environment["PAAS_PUSH_TOKEN"] = session.secret
        }
        let logger = self.logger
        let sessions = self.sessions
        let configured = program
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-git-\(service)-result", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                defer { if let session { sessions.close(session) } }
                var rewriter = ReportStatusRewriter(reason: { session?.rejectionReason })
                try await configured.run(body: request.body, gzipped: gzipped, logger: logger) { bytes in
                    let out = try rewriter.feed(bytes)
                    if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
                }
                let rest = rewriter.finish()
                if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: rest)) }
                try await writer.finish(nil)
            })
    }

    /// Checks the token, then the app (an unknown app is only revealed to a valid token).
    private func authorize(_ request: Request, repository: String) async throws -> Authorization {
        guard let token = Self.token(fromAuthorization: request.headers[.authorization]),
            let actor = try await handler.authenticate(token: token)
        else {
            var response = errorResponse(.unauthorized)
            response.headers[.wwwAuthenticate] = "Basic realm=\"paas\", charset=\"UTF-8\""
            return .denied(response)
        }
        guard repository.hasSuffix(".git") else { return .denied(errorResponse(.appNotFound(repository))) }
        let app = String(repository.dropLast(".git".count))
        guard try await handler.appExists(app) else { return .denied(errorResponse(.appNotFound(app))) }
        return .allowed(app: app, actor: actor)
    }

    func errorResponse(_ error: GitError) -> Response {
        Response(
            status: error.status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: error.message + "\n")))
    }
}

/// Whether a git request may go on.
private enum Authorization {
    case allowed(app: String, actor: String)
    case denied(Response)

    var deniedResponse: Response {
        if case .denied(let response) = self { return response }
        return Response(status: .internalServerError)
    }
}

extension HTTPField.Name {
    static let gitProtocol = Self("Git-Protocol")!
    static let gitQuarantinePath = Self("X-Git-Quarantine-Path")!
}
