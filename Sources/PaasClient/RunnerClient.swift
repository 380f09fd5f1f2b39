#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PaasAPI

/// A typed client for a runner's API (`/v1`, host token): what the controller uses to start and
/// stop processes on a host and to read its logs.
public struct RunnerClient: Sendable {
    /// The runner's base URL, e.g. `http://10.0.0.5:5200`.
    public let baseURL: String
    private let transport: APITransport

    /// An HTTP client that fails at once when a runner cannot be reached (the shared one keeps
    /// retrying the connection until the request's deadline), so a host that is down does not
    /// hold up the controller.
    public static let failFastHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(3)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(baseURL: String, token: String, httpClient: HTTPClient = RunnerClient.failFastHTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = APITransport(baseURL: self.baseURL, token: token, httpClient: httpClient)
    }

    /// `POST /v1/processes`: starts a process, or returns it when it runs already.
    public func start(_ request: ProcessStartRequest) async throws -> ProcessResource {
        try await transport.send(.POST, "/v1/processes", body: request)
    }

    /// `GET /v1/processes`: every process of the host.
    public func processes() async throws -> [ProcessResource] {
        try await transport.send(.GET, "/v1/processes")
    }

    /// `DELETE /v1/processes/{id}`: stops a process, with `grace` seconds between SIGTERM and SIGKILL.
    public func stop(id: String, graceSeconds: Int = 30) async throws {
        try await transport.sendWithoutResult(.DELETE, "/v1/processes/\(id)?grace=\(graceSeconds)")
    }

    /// `POST /v1/processes/{id}/wait-listening`: returns once the process accepts TCP on its
    /// `PORT`; fails with the reason (`web.1 exited with status 1 …`) when it does not in time.
    public func waitUntilListening(id: String, timeoutSeconds: Int) async throws -> ProcessResource {
        try await transport.send(
            .POST, "/v1/processes/\(id)/wait-listening?timeout=\(timeoutSeconds)", body: Optional<ProcessStartRequest>.none,
            timeout: .seconds(Int64(timeoutSeconds) + 10))
    }

    /// `POST /v1/apps/{app}/logs`: writes a platform event into the app's log.
    public func appendLog(app: String, _ event: LogEventRequest) async throws {
        _ = try await transport.perform(.POST, "/v1/apps/\(app)/logs", body: event)
    }

    /// `DELETE /v1/apps/{app}/logs`: deletes the app's log on this host (the app was destroyed).
    public func removeLogs(app: String) async throws {
        try await transport.sendWithoutResult(.DELETE, "/v1/apps/\(app)/logs")
    }

    /// `PUT /v1/apps/{app}/network`: which other apps the app's processes on this host may reach from now on.
    public func setNetwork(_ network: AppNetworkResource) async throws {
        let _: AppNetworkResource = try await transport.send(.PUT, "/v1/apps/\(network.app)/network", body: network)
    }

    /// `POST /v1/apps/{app}/logs/batch`: writes several platform events (router lines) at once.
    public func appendLogs(app: String, _ events: [LogEventRequest]) async throws {
        _ = try await transport.perform(.POST, "/v1/apps/\(app)/logs/batch", body: events)
    }

    /// `GET /v1/apps/{app}/logs?lines=N&tail=true`: the app's last lines, an empty event named
    /// `recent-end` (`LogStreamEvents.recentEnd`), then every new line as it is written, until
    /// the caller stops reading.
    public func followLogs(app: String, lines: Int = 100) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        try await transport.eventStream("/v1/apps/\(app)/logs?lines=\(lines)&tail=true")
    }

    /// `POST /v1/runs`: runs a one-off process to its end. Its output comes as plain events, then
    /// one `exit` event whose data is a `RunExit` in JSON.
    public func run(_ request: ProcessStartRequest) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        try await transport.eventStream("/v1/runs", method: .POST, body: request)
    }

    /// `POST /v1/runs/interactive`: an interactive one-off process; `input` is the rest of the
    /// request body (frames, passed on as they come), the answer's body the process's frames.
    public func runInteractive<Input: AsyncSequence & Sendable>(
        _ request: InteractiveProcessRequest, input: Input
    ) async throws -> HTTPClientResponse.Body where Input.Element == ByteBuffer {
        let start = ByteBuffer(bytes: RunFrame.start(Array(try APICoding.makeEncoder().encode(request))).encoded)
        let (body, sending) = AsyncStream<ByteBuffer>.makeStream()
        sending.yield(start)
        let sender = Task {
            defer { sending.finish() }
            for try await chunk in input { sending.yield(chunk) }
        }
        do {
            return try await transport.duplex("/v1/runs/interactive", body: body)
        } catch {
            sender.cancel()
            sending.finish()
            throw error
        }
    }

    /// `POST /v1/runs?detach=true`: starts a one-off process in the background; its output goes to
    /// the app's log.
    public func runDetached(_ request: ProcessStartRequest) async throws -> ProcessResource {
        try await transport.send(.POST, "/v1/runs?detach=true", body: request)
    }

    /// `GET /v1/apps/{app}/logs?lines=N`: the app's last lines on this host.
    public func logs(app: String, lines: Int = 100) async throws -> [String] {
        let data = try await transport.perform(.GET, "/v1/apps/\(app)/logs?lines=\(lines)", body: Optional<ProcessStartRequest>.none)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
