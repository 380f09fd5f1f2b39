#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PaasAPI

/// JSON over HTTP to one of the platform's APIs: bearer token, the API's coders, error
/// envelopes turned into `ClientError.api`. Shared by the typed clients.
struct APITransport: Sendable {
    let baseURL: String
    let token: String?
    let httpClient: HTTPClient

    struct Empty: Encodable {}

    func send<Result: Decodable>(_ method: HTTPMethod, _ path: String) async throws -> Result {
        try await send(method, path, body: Optional<Empty>.none)
    }

    func send<Result: Decodable, Body: Encodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, timeout: TimeAmount = .seconds(60)
    ) async throws -> Result {
        let data = try await perform(method, path, body: body, timeout: timeout)
        do {
            return try APICoding.makeDecoder().decode(Result.self, from: data)
        } catch {
            throw ClientError.unexpectedResponse("The server's answer to \(method) \(path) could not be read: \(error)")
        }
    }

    func sendWithoutResult(_ method: HTTPMethod, _ path: String) async throws {
        _ = try await perform(method, path, body: Optional<Empty>.none)
    }

    /// Sends the request and returns the body of a 2xx answer.
    func perform<Body: Encodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, timeout: TimeAmount = .seconds(60)
    ) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "paas-cli")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try APICoding.makeEncoder().encode(body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: timeout)
        } catch {
            throw ClientError.unreachable(baseURL, Self.reason(connecting: error))
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            if let envelope = try? APICoding.makeDecoder().decode(APIErrorEnvelope.self, from: data) {
                throw ClientError.api(status: Int(response.status.code), envelope.error)
            }
            throw ClientError.unexpectedResponse("\(method) \(path) answered \(response.status) without an error body.")
        }
        return data
    }

    /// Opens a server-sent event stream at `path` (`GET`, or `POST` with `body`) and yields
    /// its events as they come.
    func eventStream<Body: Encodable>(
        _ path: String, method: HTTPMethod = .GET, body: Body? = Optional<Empty>.none
    ) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try APICoding.makeEncoder().encode(body)))
        }
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
            throw ClientError.unexpectedResponse("\(method) \(path) answered \(response.status).")
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    // `event:` names the next event; each `data:` line is one event's data.
                    var pending: [UInt8] = []
                    var name: String?
                    for try await chunk in response.body {
                        pending += chunk.readableBytesView
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = String(decoding: pending[..<newline], as: UTF8.self)
                            pending.removeSubrange(...newline)
                            if line.hasPrefix("event: ") {
                                name = String(line.dropFirst("event: ".count))
                            } else if line.hasPrefix("data: ") {
                                continuation.yield(ServerSentEvent(event: name, data: String(line.dropFirst("data: ".count))))
                            } else if line.isEmpty {
                                name = nil
                            }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// One server-sent event: its name (nil for plain data) and its data line.
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String
}
