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
        let updates = RefUpdate.parse(String(buffer: input))
        let quarantine = request.headers[.gitQuarantinePath]
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
                        quarantine: quarantine)
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
}
