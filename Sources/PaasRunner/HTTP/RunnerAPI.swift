#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import PaasAPI
import PaasHTTP

/// The runner's HTTP API, authenticated with the host token: start, stop and list
/// processes; read and follow an app's logs.
public struct RunnerAPI: Sendable {
    let runner: Runner
    let token: String

    public init(runner: Runner, token: String) {
        self.runner = runner
        self.token = token
    }

    /// `/healthz` without a token, everything under `/v1` with it.
    public func makeRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.get("healthz") { _, _ in HealthResource(status: "ok") }
        let v1 = router.group("v1").add(middleware: BearerTokenMiddleware(token: token))
        v1.post("processes") { request, context -> EditedResponse<ProcessResource> in
            let body = try await request.decode(as: ProcessStartRequest.self, context: context)
            return EditedResponse(status: .created, response: try await runner.start(body))
        }
        v1.get("processes") { _, _ in await runner.processes() }
        v1.delete("processes/:id") { request, context -> HTTPResponse.Status in
            let grace = request.uri.queryParameters.get("grace").flatMap(Int.init).map { Duration.seconds($0) } ?? .seconds(30)
            try await runner.stop(id: context.parameters.get("id") ?? "", grace: grace)
            return .noContent
        }
        v1.post("runs") { request, context in
            let body = try await request.decode(as: ProcessStartRequest.self, context: context)
            if request.uri.queryParameters.get("detach") == "true" {
                return try EditedResponse(status: .accepted, response: try await runner.runDetached(body)).response(from: request, context: context)
            }
            let outputs = try await runner.run(body)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for await output in outputs {
                        switch output {
                        case .line(let text):
                            try await writer.write(ByteBuffer(string: "data: \(text)\n\n"))
                        case .exit(let reason):
                            let exit = RunExit(status: reason.shellStatus, reason: reason.description)
                            let json = String(decoding: try APICoding.makeEncoder().encode(exit), as: UTF8.self)
                            try await writer.write(ByteBuffer(string: "event: exit\ndata: \(json)\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }
        v1.post("runs/interactive") { request, context in try await attachedRun(request, context: context) }
        v1.post("processes/:id/wait-listening") { request, context in
            let seconds = request.uri.queryParameters.get("timeout").flatMap(Int.init) ?? 60
            return try await runner.waitUntilListening(id: context.parameters.get("id") ?? "", timeout: .seconds(seconds))
        }
        v1.get("apps/:app/logs") { request, context in
            try await logs(app: context.parameters.get("app") ?? "", request: request)
        }
        v1.post("apps/:app/logs") { request, context -> HTTPResponse.Status in
            let event = try await request.decode(as: LogEventRequest.self, context: context)
            let line = LogLine(time: .now, source: "paas", dyno: event.dyno, text: event.text)
            try await runner.logs.append(line, app: context.parameters.get("app") ?? "")
            return .noContent
        }
        // When the app is destroyed its log goes too: an app made later under the same name
        // starts with an empty one.
        v1.delete("apps/:app/logs") { _, context -> HTTPResponse.Status in
            try await runner.logs.remove(app: context.parameters.get("app") ?? "")
            return .noContent
        }
        v1.put("apps/:app/network") { request, context -> AppNetworkResource in
            let app = context.parameters.get("app") ?? ""
            let body = try await request.decode(as: AppNetworkResource.self, context: context)
            try await runner.setLinks(app: app, reaches: body.reaches)
            return AppNetworkResource(app: app, reaches: Set(body.reaches).sorted())
        }
        v1.post("apps/:app/logs/batch") { request, context -> HTTPResponse.Status in
            let events = try await request.decode(as: [LogEventRequest].self, context: context)
            let app = context.parameters.get("app") ?? ""
            for event in events {
                try await runner.logs.append(LogLine(time: .now, source: "paas", dyno: event.dyno, text: event.text), app: app)
            }
            return .noContent
        }
        return router
    }

    /// The app's last `lines` lines (default 100) as text; with `tail=true` as server-sent
    /// events that go on with new lines until the client leaves. In the event stream, an event
    /// named `recent-end` (`LogStreamEvents.recentEnd`) parts the recent lines from the new ones,
    /// so that a controller can merge several hosts' recent lines by time before passing on new
    /// ones as they come.
    private func logs(app: String, request: Request) async throws -> Response {
        let count = request.uri.queryParameters.get("lines").flatMap(Int.init) ?? 100
        let follow = request.uri.queryParameters.get("tail") == "true"
        guard follow else {
            let text = try await runner.logs.recent(app: app, count: count).map { $0.formatted + "\n" }.joined()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        // In one step, so that no line falls between the recent ones and the stream, or is in both.
        let (recent, stream) = try await runner.logs.recentAndFollow(app: app, count: count)
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                var text = ""
                for line in recent { text += "data: \(line.formatted)\n\n" }
                text += "event: \(LogStreamEvents.recentEnd)\ndata: \n\n"
                try await writer.write(ByteBuffer(string: text))
                for try await line in stream.endingAtGracefulShutdown() {
                    try await writer.write(ByteBuffer(string: "data: \(line.formatted)\n\n"))
                }
                try await writer.finish(nil)
            })
    }
}

extension RunnerError: APIErrorConvertible {
    public var httpStatus: HTTPResponse.Status {
        switch kind {
        case .notFound: .notFound
        case .invalid: .unprocessableContent
        case .failed: .internalServerError
        }
    }

    public var apiErrorBody: APIErrorBody { APIErrorBody(code: code, message: message) }
}
