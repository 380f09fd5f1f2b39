#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import PaasAPI
import PaasHTTP

/// `POST /v1/runs/interactive`: an interactive one-off process over one full-duplex HTTP/1.1
/// exchange. The request body is `RunFrame`s (start, then input, resize, end of input), the
/// response body too (output, then exit). The request body's end means the client has left:
/// the process is stopped and its container removed.
extension RunnerAPI {
    func attachedRun(_ request: Request, context: APIRequestContext) async throws -> Response {
        let reader = RunFrameReader(request.body)
        let start = try await reader.start(as: InteractiveProcessRequest.self)
        try runner.validateAttached(start)
        let runner = self.runner
        return Response(
            status: .ok, headers: [.contentType: RunFrame.mediaType, .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                var reason = ExitReason.startFailed("the process did not start")
                do {
                    try await runner.runAttached(start) { process in
                        reason = try await Self.relay(process, from: reader, to: &writer)
                    }
                } catch let error as RunnerError {
                    reason = .startFailed(error.message)
                } catch {
                    reason = .startFailed("\(error)")
                }
                let exit = RunExit(status: reason.shellStatus, reason: reason.description)
                try await writer.write(ByteBuffer(bytes: RunFrame.exit(Array(try APICoding.makeEncoder().encode(exit))).encoded))
                try await writer.finish(nil)
            })
    }

    /// Passes the client's input to the process and its output to the client until it ends;
    /// stops it when the client leaves. Returns how it ended.
    private static func relay(
        _ process: AttachedProcess, from reader: RunFrameReader, to writer: inout any ResponseBodyWriter
    ) async throws -> ExitReason {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Input the process no longer reads (a closed pipe) is dropped.
                while let frame = try? await reader.next() {
                    switch frame {
                    case .input(let bytes): try? await process.input.write(ByteBuffer(bytes: bytes))
                    case .resize(let size) where size.isValid: try? process.resize(size)
                    case .endOfInput: try? await process.endInput()
                    default: break
                    }
                }
                if Task.isCancelled { return }
                await process.stop()
            }
            var output = process.output.makeAsyncIterator()
            while let chunk = await Self.next(&output) {
                try await writer.write(ByteBuffer(bytes: RunFrame.output(Array(chunk.readableBytesView)).encoded))
            }
            let reason = await process.waitForExit()
            group.cancelAll()
            return reason
        }
    }

    /// The next chunk of output; nil at its end, which reading a terminal after its last writer
    /// has gone reports as an error (EIO).
    private static func next(_ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch {
            return nil
        }
    }
}
