import Hummingbird
import NIOCore
import PaasAPI
import PaasCore
import PaasHTTP

extension Controller {
    func addProcessRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        addInteractiveRunRoutes(to: v1)
        v1.get("apps/:app/processes") { _, context in
            let app = try await app(from: context)
            guard let deployer else { return [ProcessResource]() }
            return try await deployer.processes(of: app).map(\.process).sorted { $0.id < $1.id }
        }
        v1.post("apps/:app/processes/restart") { request, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            let body = try await decodeOptional(ProcessRestartRequest.self, from: request, context: context) ?? ProcessRestartRequest()
            if let type = body.type, !ProcessTypeName.isValid(type) {
                throw ControllerError.invalidRequest("'\(type)' is not a process type. \(ProcessTypeName.rule)")
            }
            try await store.recordAppEvent(app, actor: try context.requireActor, action: "processes.restart",
                description: "Restarted \(body.type.map { "\($0) processes" } ?? "all processes")")
            try await deployer?.restart(app, type: body.type)
            return .accepted
        }
        v1.post("apps/:app/runs") { request, context in
            let app = try await app(from: context)
            let body = try await decode(RunRequest.self, from: request, context: context)
            guard !body.command.isEmpty, body.command.allSatisfy({ !$0.isEmpty }) else {
                throw ControllerError.invalidRequest("A run needs a command, e.g. 'paas run -- python manage.py migrate'.")
            }
            guard let deployer, let (start, host) = try await deployer.oneOff(app, command: body.command, env: body.env ?? [:]) else {
                throw ControllerError(
                    status: .unprocessableContent, code: "no_runner",
                    message: "This platform runs no processes: the operator must start paasd with --run-stack (scripts/up does).")
            }
            let runner = host.client
            try await store.recordAppEvent(app, actor: try context.requireActor, action: "run", description: "Ran a one-off process (v\(start.release))")
            if body.detach == true {
                return try EditedResponse(status: .accepted, response: try await runner.runDetached(start))
                    .response(from: request, context: context)
            }
            let events = try await runner.run(start)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for try await event in events {
                        let name = event.event.map { "event: \($0)\n" } ?? ""
                        try await writer.write(ByteBuffer(string: "\(name)data: \(event.data)\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
        v1.get("apps/:app/logs") { request, context in
            let app = try await app(from: context)
            let lines = min(max(request.uri.queryParameters.get("lines").flatMap(Int.init) ?? 100, 0), 10_000)
            let hosts = try await deployer?.reachableHosts() ?? []
            guard request.uri.queryParameters.get("tail") == "true" else {
                let text = try await Self.mergedLogs(of: app.name.rawValue, lines: lines, hosts: hosts).map { $0 + "\n" }.joined()
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            // `paas logs -t`: the hosts' event streams, passed on as they come.
            let stream = try await Self.followLogs(of: app.name.rawValue, lines: lines, hosts: hosts)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for try await event in stream.endingAtGracefulShutdown() {
                        try await writer.write(ByteBuffer(string: "data: \(event.data)\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
