import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PaasAPI
import Synchronization
@testable import PaasRouter

/// A router on free loopback ports for one test, with an HTTP client; both are shut down after.
struct RouterHarness: Sendable {
    let router: Router
    let ports: RouterPorts
    let client: HTTPClient
    let log: LogBox

    /// Runs `body` with a router serving `table`, then stops everything.
    static func with(
        _ table: RouteTableResource, configure: (inout RouterConfiguration) -> Void = { _ in },
        _ body: (RouterHarness) async throws -> Void
    ) async throws {
        var configuration = RouterConfiguration(host: "127.0.0.1", httpPort: 0, httpsPort: 0, adminPort: 0)
        configure(&configuration)
        let log = LogBox()
        let router = try Router(
            configuration: configuration, logger: Logger(label: "test.router"), logSink: { log.append($0) })
        router.update(table)
        let task = Task { try await router.run() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let ports = try await router.boundPorts()
            let harness = RouterHarness(router: router, ports: ports, client: client, log: log)
            try await body(harness)
        } catch {
            try? await client.shutdown()
            task.cancel()
            _ = await task.result
            throw error
        }
        try await client.shutdown()
        task.cancel()
        _ = try await task.value
    }

    /// The first app-log line containing `text`, waiting for it: the router writes the line
    /// just after the response, so it may trail it a little.
    func logLine(containing text: String) async throws -> RouterLogLine? {
        // A minute only guards against a hang; the line comes milliseconds after the response.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let line = log.lines.withLock({ $0.first { $0.text.contains(text) } }) { return line }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// A request to the router's HTTP port with the given Host header.
    func fetch(
        host: String, path: String = "/", method: HTTPMethod = .GET, headers: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(ports.http)\(path)")
        request.method = method
        request.headers.add(name: "Host", value: host)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = body
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

/// A response as tests look at it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String
}

/// The app log lines the router produced.
final class LogBox: Sendable {
    let lines = Mutex<[RouterLogLine]>([])
    func append(_ line: RouterLogLine) { lines.withLock { $0.append(line) } }
}

/// Route-table shorthand.
func table(
    version: Int = 1, domain: String = "localhost", _ apps: AppRouteResource..., certificates: [RouteCertificateResource] = []
) -> RouteTableResource {
    RouteTableResource(version: version, defaultDomain: domain, apps: apps, certificates: certificates)
}

func app(_ name: String, domains: [String] = [], redirectHTTPS: Bool = false, _ backends: [TestBackend]) -> AppRouteResource {
    AppRouteResource(
        app: name, domains: domains, redirectHTTPS: redirectHTTPS,
        backends: backends.enumerated().map { RouteBackendResource(process: "web.\($0.offset + 1)", host: "127.0.0.1", port: $0.element.port) })
}
