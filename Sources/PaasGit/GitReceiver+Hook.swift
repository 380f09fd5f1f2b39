#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import NIOCore

extension GitReceiver {
    /// The pre-receive hook's call: checks the pushed refs, then deploys `main` while streaming
    /// the output back to the hook; the last line is the verdict (`PreReceiveHook`).
    func hookCallback<Context: RequestContext>(request: Request, sessionID: String, context: Context) async throws -> Response {
        guard let session = sessions.session(id: sessionID),
            let token = Self.token(fromAuthorization: request.headers[.authorization]),
            session.accepts(secret: token)
        else {
            return errorResponse(GitError(status: .notFound, code: "push_not_found", message: "No such push in progress."))
        }
        var request = request
        let input = try await request.collectBody(upTo: 1 << 20)
        guard let updates = RefUpdate.parse(String(buffer: input)),
            let quarantine = Self.quarantine(request.headers[.gitQuarantinePath], of: session.repository)
        else {
            return errorResponse(
                GitError(status: .badRequest, code: "invalid_push", message: "The push's ref updates are not ones git sends."))
        }
        let handler = self.handler
        let logger = self.logger
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                let verdict: PushVerdict
                switch DeployBranchPolicy.decide(updates) {
                case .nothing:
                    verdict = .accepted
                case .refuse(let reason):
                    try await writer.write(ByteBuffer(string: " !     Push rejected: \(reason).\n"))
                    verdict = .rejected(reason)
                case .deploy(let update):
                    let push = Push(
                        app: session.app, actor: session.actor, update: update, repository: session.repository,
                        quarantine: quarantine.isEmpty ? nil : quarantine)
                    let (lines, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
                    // The deploy runs beside the stream of its lines; when the pusher goes away
                    // (the write fails), the deploy is cancelled with this body.
                    verdict = try await withThrowingTaskGroup(of: PushVerdict.self) { group in
                        group.addTask {
                            defer { continuation.finish() }
                            return await handler.deploy(push, output: PushOutput(continuation))
                        }
                        for await line in lines {
                            try await writer.write(ByteBuffer(string: line + "\n"))
                        }
                        return try await group.next() ?? .rejected("the deploy did not finish")
                    }
                }
                if case .rejected(let reason) = verdict {
                    session.reject(reason)
                    logger.info("push rejected", metadata: ["app": "\(session.app)"])
                }
                try await writer.write(ByteBuffer(string: PreReceiveHook.verdictPrefix + (verdict == .accepted ? "accepted" : "rejected") + "\n"))
                try await writer.finish(nil)
            })
    }

    /// The quarantine directory git named for the push: empty when git named none, else it must
    /// be one git makes for a push in the app's repository (`<repository>/./objects/tmp_objdir-incoming-…`,
    /// `incoming-…` before git 2.35), compared by real path; nil for anything else.
    static func quarantine(_ header: String?, of repository: String) -> String? {
        guard let header, !header.isEmpty else { return "" }
        guard let slash = header.lastIndex(of: "/") else { return nil }
        let name = header[header.index(after: slash)...]
        guard name.hasPrefix("tmp_objdir-incoming-") || name.hasPrefix("incoming-"), !name.contains("..") else { return nil }
        guard let parent = realPath(String(header[..<slash])), parent == realPath(repository + "/objects") else { return nil }
        return header
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
