#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import PaasAPI

extension APITransport {
    /// A full-duplex HTTP/1.1 exchange (interactive runs): `POST path` whose body is `body`'s
    /// chunks, sent as they come, while the answer's body is read as it comes. Returns that body
    /// once a 200 has arrived; an error status throws its envelope. Ending `body` tells the server
    /// the client has left.
    func duplex<Body: AsyncSequence & Sendable>(_ path: String, body: Body) async throws -> HTTPClientResponse.Body
    where Body.Element == ByteBuffer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Accept", value: RunFrame.mediaType)
        request.headers.add(name: "Content-Type", value: RunFrame.mediaType)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .stream(body, length: .unknown)
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .hours(24))
        } catch {
            throw ClientError.unreachable(baseURL, Self.reason(connecting: error))
        }
        guard response.status == .ok else {
            let data = Data((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
            if let envelope = try? APICoding.makeDecoder().decode(APIErrorEnvelope.self, from: data) {
                throw ClientError.api(status: Int(response.status.code), envelope.error)
            }
            throw ClientError.unexpectedResponse("POST \(path) answered \(response.status).")
        }
        return response.body
    }

    /// `duplex` with frames: the `start` frame with `start` in JSON, then `input`'s frames; the
    /// answer's frames as they come. Stopping to read the answer ends the request.
    func frames<Start: Encodable, Input: AsyncSequence & Sendable>(
        _ path: String, start: Start, input: Input
    ) async throws -> AsyncThrowingStream<RunFrame, any Error> where Input.Element == RunFrame {
        let first = RunFrame.start(Array(try APICoding.makeEncoder().encode(start)))
        let (body, sending) = AsyncStream<ByteBuffer>.makeStream()
        sending.yield(ByteBuffer(bytes: first.encoded))
        let sender = Task {
            defer { sending.finish() }
            for try await frame in input { sending.yield(ByteBuffer(bytes: frame.encoded)) }
        }
        let answer: HTTPClientResponse.Body
        do {
            answer = try await duplex(path, body: body)
        } catch {
            sender.cancel()
            sending.finish()
            throw error
        }
        return AsyncThrowingStream { continuation in
            let reader = Task {
                do {
                    var decoder = RunFrameDecoder()
                    for try await chunk in answer {
                        for frame in try decoder.append(chunk.readableBytesView) {
                            continuation.yield(frame)
                            if case .exit = frame { return continuation.finish() }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                reader.cancel()
                sender.cancel()
                sending.finish()
            }
        }
    }
}
