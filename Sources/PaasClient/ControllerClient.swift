#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PaasAPI

/// A typed client for the controller API (`/v1`). Errors from the server arrive as
/// `ClientError.api` with the server's own code and message.
public struct ControllerClient: Sendable {
    /// The API's base URL, e.g. `http://127.0.0.1:5100`.
    public let baseURL: String
    private let token: String?
    private let httpClient: HTTPClient

    public init(baseURL: String, token: String?, httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.httpClient = httpClient
    }

    // MARK: Account and health

    /// `GET /healthz`.
    public func health() async throws -> HealthResource { try await send(.GET, "/healthz") }

    /// `GET /v1/account`: who the token belongs to.
    public func account() async throws -> AccountResource { try await send(.GET, "/v1/account") }

    // MARK: Apps

    public func apps() async throws -> [AppResource] { try await send(.GET, "/v1/apps") }

    public func createApp(name: String?, stack: String? = nil) async throws -> AppResource {
        try await send(.POST, "/v1/apps", body: AppCreateRequest(name: name, stack: stack))
    }

    /// The platform's stacks (`GET /v1/stacks`).
    public func stacks() async throws -> [StackResource] { try await send(.GET, "/v1/stacks") }

    public func app(_ name: String) async throws -> AppResource { try await send(.GET, "/v1/apps/\(name)") }

    public func destroyApp(_ name: String) async throws { try await sendWithoutResult(.DELETE, "/v1/apps/\(name)") }

    // MARK: Config

    public func config(app: String) async throws -> [String: String] {
        try await send(.GET, "/v1/apps/\(app)/config-vars")
    }

    /// Sets (value) and unsets (nil) config vars in one release; returns the new config.
    public func updateConfig(app: String, _ update: ConfigVarsUpdate) async throws -> [String: String] {
        try await send(.PATCH, "/v1/apps/\(app)/config-vars", body: update)
    }

    // MARK: Releases

    public func releases(app: String) async throws -> [ReleaseResource] {
        try await send(.GET, "/v1/apps/\(app)/releases")
    }

    public func release(app: String, version: Int) async throws -> ReleaseResource {
        try await send(.GET, "/v1/apps/\(app)/releases/\(version)")
    }

    /// Rolls back to `version`, or to the previous release when nil.
    public func rollback(app: String, to version: Int?) async throws -> ReleaseResource {
        try await send(.POST, "/v1/apps/\(app)/rollback", body: RollbackRequest(version: version))
    }

    /// Changes the app's settings (`ps:set`, `ps:stop`, `ps:start`).
    public func updateApp(_ name: String, _ update: AppUpdateRequest) async throws -> AppResource {
        try await send(.PATCH, "/v1/apps/\(name)", body: update)
    }

    // MARK: Formation

    public func formation(app: String) async throws -> [FormationResource] {
        try await send(.GET, "/v1/apps/\(app)/formation")
    }

    public func scale(app: String, _ update: FormationUpdate) async throws -> [FormationResource] {
        try await send(.PATCH, "/v1/apps/\(app)/formation", body: update)
    }

    /// Sets the memory limit of a process type (`ps:resize`); its processes restart.
    public func resize(app: String, type: String, memoryMiB: Int) async throws -> [FormationResource] {
        try await send(.PATCH, "/v1/apps/\(app)/formation/\(type)", body: FormationResizeRequest(memoryMiB: memoryMiB))
    }

    // MARK: Domains

    public func domains(app: String) async throws -> [DomainResource] {
        try await send(.GET, "/v1/apps/\(app)/domains")
    }

    public func addDomain(app: String, hostname: String) async throws -> DomainResource {
        try await send(.POST, "/v1/apps/\(app)/domains", body: DomainCreateRequest(hostname: hostname))
    }

    public func removeDomain(app: String, hostname: String) async throws {
        try await sendWithoutResult(.DELETE, "/v1/apps/\(app)/domains/\(hostname)")
    }

    // MARK: Network links

    /// `GET /v1/apps/{app}/network`: the other apps the app's processes may open connections to.
    public func network(app: String) async throws -> AppNetworkResource {
        try await send(.GET, "/v1/apps/\(app)/network")
    }

    /// `PUT /v1/apps/{app}/network/reaches/{target}`: lets the app's processes reach `target`'s.
    public func allowNetwork(app: String, to target: String) async throws -> AppNetworkResource {
        try await send(.PUT, "/v1/apps/\(app)/network/reaches/\(target)")
    }

    /// `DELETE /v1/apps/{app}/network/reaches/{target}`: takes that back.
    public func denyNetwork(app: String, to target: String) async throws -> AppNetworkResource {
        try await send(.DELETE, "/v1/apps/\(app)/network/reaches/\(target)")
    }

    // MARK: Certificates and routes

    public func certificates(app: String) async throws -> [CertificateResource] {
        try await send(.GET, "/v1/apps/\(app)/certs")
    }

    public func addCertificate(app: String, _ request: CertificateCreateRequest) async throws -> CertificateResource {
        try await send(.POST, "/v1/apps/\(app)/certs", body: request)
    }

    public func removeCertificate(app: String, name: String) async throws {
        try await sendWithoutResult(.DELETE, "/v1/apps/\(app)/certs/\(name)")
    }

    /// Sends a router's per-request lines to the apps' logs.
    public func sendRouterLogs(_ lines: [RouterLogLine]) async throws {
        _ = try await transport.perform(.POST, "/v1/router/logs", body: lines)
    }

    /// The routers' table now.
    public func routeTable() async throws -> RouteTableResource {
        try await send(.GET, "/v1/router/table")
    }

    /// The routers' table at once and after every change (`table` events), until the caller stops.
    public func watchRouteTable() async throws -> AsyncThrowingStream<RouteTableResource, any Error> {
        let events = try await transport.eventStream("/v1/router/table?watch=true")
        return AsyncThrowingStream { continuation in
            let reader = Task {
                do {
                    let decoder = APICoding.makeDecoder()
                    for try await event in events where event.event == "table" {
                        continuation.yield(try decoder.decode(RouteTableResource.self, from: Data(event.data.utf8)))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
    }

    // MARK: Events

    public func events(app: String) async throws -> [EventResource] {
        try await send(.GET, "/v1/apps/\(app)/events")
    }

    // MARK: Builds

    /// The app's builds, newest first (without their output).
    public func builds(app: String) async throws -> [BuildResource] {
        try await send(.GET, "/v1/apps/\(app)/builds")
    }

    /// One build with its whole output.
    public func build(app: String, number: Int) async throws -> BuildResource {
        try await send(.GET, "/v1/apps/\(app)/builds/\(number)")
    }

    // MARK: Processes

    /// The app's processes on the platform's runners, with their state and address.
    public func processes(app: String) async throws -> [ProcessResource] {
        try await send(.GET, "/v1/apps/\(app)/processes")
    }

    /// Restarts the app's processes, or those of one type.
    public func restartProcesses(app: String, type: String? = nil) async throws {
        _ = try await transport.perform(.POST, "/v1/apps/\(app)/processes/restart", body: ProcessRestartRequest(type: type))
    }

    /// The app's newest log lines (`lines` of them), oldest first.
    public func logs(app: String, lines: Int = 100) async throws -> [String] {
        let data = try await transport.perform(.GET, "/v1/apps/\(app)/logs?lines=\(lines)", body: Optional<AppCreateRequest>.none)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The app's newest log lines, then each new one as it is written (`paas logs -t`).
    public func followLogs(app: String, lines: Int = 100) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        try await transport.eventStream("/v1/apps/\(app)/logs?lines=\(lines)&tail=true")
    }

    /// Runs a one-off command in a new process of the app's current release (`paas run`). Its
    /// output comes as plain events, then one `exit` event whose data is a `RunExit` in JSON.
    public func run(app: String, _ request: RunRequest) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        try await transport.eventStream("/v1/apps/\(app)/runs", method: .POST, body: request)
    }

    /// `POST /v1/apps/{app}/runs/interactive`: an interactive one-off process. `input` carries
    /// the frames for it (`.input`, `.resize`, `.endOfInput`); the answer is its `.output` frames,
    /// then one `.exit` frame with a `RunExit` in JSON. Stopping to read the answer (or ending
    /// `input`) stops the process.
    public func runInteractive<Input: AsyncSequence & Sendable>(
        app: String, _ request: InteractiveRunRequest, input: Input
    ) async throws -> AsyncThrowingStream<RunFrame, any Error> where Input.Element == RunFrame {
        try await transport.frames("/v1/apps/\(app)/runs/interactive", start: request, input: input)
    }

    /// Starts a one-off process in the background (`paas run --detach`).
    public func runDetached(app: String, _ request: RunRequest) async throws -> ProcessResource {
        var request = request
        request.detach = true
        return try await send(.POST, "/v1/apps/\(app)/runs", body: request)
    }

    // MARK: Hosts

    /// Registers a runner host (what `paasd runner` does on start).
    public func registerHost(name: String, _ registration: HostRegistrationRequest) async throws -> HostResource {
        try await send(.PUT, "/v1/hosts/\(name)", body: registration)
    }

    /// The registered runner hosts.
    public func hosts() async throws -> [HostResource] {
        try await send(.GET, "/v1/hosts")
    }

    // MARK: Transport

    var transport: APITransport { APITransport(baseURL: baseURL, token: token, httpClient: httpClient) }

    private func send<Result: Decodable>(_ method: HTTPMethod, _ path: String) async throws -> Result {
        try await transport.send(method, path)
    }

    private func send<Result: Decodable, Body: Encodable>(_ method: HTTPMethod, _ path: String, body: Body?) async throws -> Result {
        try await transport.send(method, path, body: body)
    }

    private func sendWithoutResult(_ method: HTTPMethod, _ path: String) async throws {
        try await transport.sendWithoutResult(method, path)
    }
}

extension APITransport {
    /// A short reason for a failed connection; NIO's own texts are long and nested.
    static func reason(connecting error: any Error) -> String {
        let text = String(describing: error)
        for (needle, reason) in [
            ("Connection refused", "connection refused"), ("timeout", "timed out"),
            ("Timeout", "timed out"), ("No such host", "unknown host"), ("remoteConnectionClosed", "connection closed"),
        ] where text.contains(needle) {
            return reason
        }
        return "connection failed"
    }
}

/// Why a client call failed.
public enum ClientError: Error, CustomStringConvertible, Sendable {
    /// The server answered with an error envelope.
    case api(status: Int, APIErrorBody)
    /// The server could not be reached.
    case unreachable(String, String)
    /// The server answered something we could not understand.
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .api(_, let body): return body.message
        case .unreachable(let url, let detail): return "Cannot reach the paas API at \(url): \(detail). Is paasd running? Check 'paas login --api URL'."
        case .unexpectedResponse(let detail): return detail
        }
    }
}
