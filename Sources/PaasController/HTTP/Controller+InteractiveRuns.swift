import Hummingbird
import NIOCore
import PaasAPI
import PaasCore
import PaasHTTP

extension Controller {
    /// `POST /v1/apps/{app}/runs/interactive`: `paas run -- bash`. One full-duplex HTTP/1.1
    /// exchange of `RunFrame`s with the client and one with the runner that runs the process;
    /// the controller checks the start frame, puts the release's process in its place, and then
    /// passes bytes on both ways as they come. The client's body ending (it has left) ends the
    /// runner's, which stops the process and removes its container.
    func addInteractiveRunRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.post("apps/:app/runs/interactive") { request, context in
            let app = try await app(from: context)
            let reader = RunFrameReader(request.body)
            let body = try await reader.start(as: InteractiveRunRequest.self)
            guard !body.command.isEmpty, body.command.allSatisfy({ !$0.isEmpty }) else {
                throw ControllerError.invalidRequest("A run needs a command, e.g. 'paas run -- bash'.")
            }
            if let terminal = body.terminal, !terminal.isValid {
                throw ControllerError.invalidRequest("A terminal needs 1 to 65535 rows and columns.")
            }
            guard let deployer, let (start, host) = try await deployer.oneOff(app, command: body.command, env: body.env ?? [:]) else {
                throw ControllerError(
                    status: .unprocessableContent, code: "no_runner",
                    message: "This platform runs no processes: the operator must start paasd with --run-stack (scripts/up does).")
            }
            try await store.recordAppEvent(
                app, actor: try context.requireActor, action: "run",
                description: "Ran an interactive one-off process (v\(start.release))")
            // The client's frames after the start frame, re-encoded for the runner.
            let (input, forwarding) = AsyncStream<ByteBuffer>.makeStream()
            let output = try await host.client.runInteractive(
                InteractiveProcessRequest(process: start, terminal: body.terminal), input: input)
            return Response(
                status: .ok, headers: [.contentType: RunFrame.mediaType, .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            defer { forwarding.finish() }
                            while let frame = try? await reader.next() {
                                forwarding.yield(ByteBuffer(bytes: frame.encoded))
                            }
                        }
                        defer { group.cancelAll() }
                        for try await chunk in output { try await writer.write(chunk) }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
