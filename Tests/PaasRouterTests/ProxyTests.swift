import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1
import NIOPosix
import PaasAPI
import PaasTesting
import Synchronization
import Testing
@testable import PaasRouter

@Suite(.tags(.medium))
struct ProxyTests {
    @Test func hostsRouteByDefaultDomainCustomDomainAndWildcard() async throws {
        let a = try await TestBackend.start(name: "a")
        let b = try await TestBackend.start(name: "b")
        defer { Task { await a.stop(); await b.stop() } }
        try await RouterHarness.with(
            table(domain: "paas.test", app("alpha", [a]), app("beta", domains: ["beta.example.com", "*.wild.example"], [b]))
        ) { harness in
            #expect(try await harness.fetch(host: "alpha.paas.test").body == "backend a")
            #expect(try await harness.fetch(host: "ALPHA.paas.test:1234").body == "backend a")
            #expect(try await harness.fetch(host: "beta.example.com").body == "backend b")
            #expect(try await harness.fetch(host: "x.wild.example").body == "backend b")
            let unknown = try await harness.fetch(host: "nobody.paas.test")
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("paas"))
        }
    }

    @Test func appWithoutWebProcessesGets503Page() async throws {
        try await RouterHarness.with(table(app("idle", []))) { harness in
            let response = try await harness.fetch(host: "idle.localhost")
            #expect(response.status == 503)
            #expect(response.body.contains("No web processes are running for idle. Run 'paas ps:scale web=1'."))
            let line = try await harness.logLine(containing: "code=H14")
            #expect(line?.app == "idle")
        }
    }

    @Test func requestsSpreadOverAllBackends() async throws {
        let backends = [
            try await TestBackend.start(name: "1"), try await TestBackend.start(name: "2"),
            try await TestBackend.start(name: "3"),
        ]
        defer { Task { for backend in backends { await backend.stop() } } }
        try await RouterHarness.with(table(app("spread", backends))) { harness in
            var seen: [String: Int] = [:]
            for _ in 0..<30 { seen[try await harness.fetch(host: "spread.localhost").body, default: 0] += 1 }
            #expect(seen.keys.sorted() == ["backend 1", "backend 2", "backend 3"])
        }
    }

    @Test func refusedBackendIsRetriedElsewhere() async throws {
        let live = try await TestBackend.start(name: "live")
        defer { Task { await live.stop() } }
        let deadPort = try FreePort.find()
        var resource = app("retry", [live])
        resource.backends.insert(RouteBackendResource(process: "web.0", host: "127.0.0.1", port: deadPort), at: 0)
        try await RouterHarness.with(table(resource)) { harness in
            for _ in 0..<10 {
                let response = try await harness.fetch(host: "retry.localhost")
                #expect(response.status == 200)
            }
            let metrics = harness.router.metrics.render()
            // At least one refused connect was counted (more when a loaded machine makes the 5 s pause end).
            #expect(metrics.contains(/paas_router_backend_connect_errors_total\{app="retry"\} [1-9]/), "\(metrics)")
        }
    }

    @Test func aBackendClosingUnansweredIsRetriedElsewhereForRequestsSafeToRepeat() async throws {
        let live = try await TestBackend.start(name: "live")
        defer { Task { await live.stop() } }
        // Accepts each connection and closes it unanswered, as a process does that stops with
        // requests in its accept queue.
        let closing = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.close() }
            .bind(host: "127.0.0.1", port: 0).get()
        var resource = app("closing", [live])
        resource.backends.insert(
            RouteBackendResource(process: "web.0", host: "127.0.0.1", port: closing.localAddress!.port!), at: 0)
        try await RouterHarness.with(table(resource)) { harness in
            for _ in 0..<10 {
                let response = try await harness.fetch(host: "closing.localhost")
                #expect(response.status == 200 && response.body == "backend live")
            }
            // A POST may have done something before the connection closed: not sent twice.
            var statuses: [Int: Int] = [:]
            for _ in 0..<10 {
                let response = try await harness.fetch(
                    host: "closing.localhost", method: .POST, body: .bytes(ByteBuffer(string: "order=1")))
                statuses[response.status, default: 0] += 1
            }
            #expect(statuses[502, default: 0] > 0 && statuses[200, default: 0] > 0, "\(statuses)")
        }
        try await closing.close()
    }

    @Test func aStoppingBackendClosingItsKeptAliveAndItsNewConnectionsSendsTheRequestElsewhere() async throws {
        let live = try await TestBackend.start(name: "live")
        defer { Task { await live.stop() } }
        // Answers one request on a kept-alive connection, then stops: closes that connection when
        // the next request comes on it, and every new connection at once.
        let stopping = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                StoppingBackend.stopped.load(ordering: .relaxed) ? channel.close() : channel.pipeline.addHandler(StoppingBackend())
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { _ = stopping.close() }
        let backend = RouteBackendResource(process: "web.0", host: "127.0.0.1", port: stopping.localAddress!.port!)
        var alone = app("stopping", [])
        alone.backends = [backend]
        var both = app("stopping", [live])
        both.backends.insert(backend, at: 0)
        try await RouterHarness.with(table(alone)) { harness in
            // The pooled connection to the stopped backend closes unanswered: the router tries again
            // on a new connection, which the stopped backend refuses, then on the other backend.
            for _ in 0..<8 {
                StoppingBackend.stopped.store(false, ordering: .relaxed)
                harness.router.update(table(alone))
                #expect(try await harness.fetch(host: "stopping.localhost").body == "backend stopping")
                harness.router.update(table(both))
                for _ in 0..<2 {
                    let response = try await harness.fetch(host: "stopping.localhost")
                    #expect(response.status == 200 && response.body == "backend live", "\(response.status) \(response.body)")
                }
            }
            #expect(StoppingBackend.closedKeptAlive.load(ordering: .relaxed) > 0, "the router reused a kept-alive connection to the stopped backend")
        }
    }

    @Test func forwardingHeadersAndRequestIDs() async throws {
        let backend = try await TestBackend.start(name: "h")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("h", [backend]))) { harness in
            let given = "given-request-id-0123456789"
            let kept = try await harness.fetch(
                host: "h.localhost", path: "/headers",
                headers: [("X-Forwarded-For", "10.1.2.3"), ("X-Request-Id", given), ("Connection", "keep-alive, X-Drop"), ("X-Drop", "1")])
            #expect(kept.body.contains("x-forwarded-for: 10.1.2.3, 127.0.0.1\n"))
            #expect(kept.body.contains("x-forwarded-proto: http\n"))
            #expect(kept.body.contains("x-forwarded-port: \(harness.ports.http)\n"))
            #expect(kept.body.contains("x-request-id: \(given)\n"))
            #expect(!kept.body.contains("x-drop"))
            #expect(kept.headers["x-request-id"] == [given])
            #expect(!kept.headers.contains(name: "keep-alive"), "hop-by-hop response headers are dropped")

            let generated = try await harness.fetch(host: "h.localhost", path: "/headers", headers: [("X-Request-Id", "bad id")])
            let id = try #require(generated.headers["x-request-id"].first)
            #expect(id != "bad id" && id.count == 36)
            #expect(generated.body.contains("x-request-id: \(id)\n"))
            let line = try await harness.logLine(containing: "request_id=\(id)")
            let text = try #require(line?.text)
            #expect(line?.app == "h")
            #expect(text.contains("at=info method=GET path=\"/headers\" host=h.localhost"))
            #expect(text.contains("fwd=\"127.0.0.1\" dyno=web.1") && text.contains("status=200") && text.contains("protocol=http"))
        }
    }

    @Test func largeUploadAndDownloadStream() async throws {
        let backend = try await TestBackend.start(name: "big")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("big", [backend]))) { harness in
            let size = 50 * 1024 * 1024
            var hasher = SHA256()
            let chunk = ByteBuffer(repeating: 0x61, count: 1024 * 1024)
            for _ in 0..<50 { chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
            let expected = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            let chunks = (0..<50).map { _ in chunk }
            let upload = try await harness.fetch(
                host: "big.localhost", path: "/upload", method: .POST, body: .stream(chunks.async, length: .known(Int64(size))))
            #expect(upload.body == "\(size) \(expected)")

            let chunked = try await harness.fetch(
                host: "big.localhost", path: "/upload", method: .POST, body: .stream(chunks.async, length: .unknown))
            #expect(chunked.body == "\(size) \(expected)")

            var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.ports.http)/download?bytes=\(size)")
            request.headers.add(name: "Host", value: "big.localhost")
            let response = try await harness.client.execute(request, timeout: .seconds(60))
            var received = 0
            for try await part in response.body { received += part.readableBytes }
            #expect(response.status == .ok)
            #expect(received == size)
        }
    }

    @Test func chunkedResponsesAreRelayed() async throws {
        let backend = try await TestBackend.start(name: "c")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("c", [backend]))) { harness in
            let raw = try await RawHTTP.exchange(port: harness.ports.http, [
                (send: "GET /chunked HTTP/1.1\r\nHost: c.localhost\r\n\r\n", until: { $0.hasSuffix("0\r\n\r\n") })
            ])
            #expect(raw.lowercased().contains("transfer-encoding: chunked"))
            #expect(raw.contains("chunk0;") && raw.contains("chunk4;"))
        }
    }

    @Test func upgradedConnectionsSpliceBytesBothWays() async throws {
        let backend = try await TestBackend.start(name: "ws")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("ws", [backend]))) { harness in
            let raw = try await RawHTTP.exchange(port: harness.ports.http, [
                (send: "GET /ws HTTP/1.1\r\nHost: ws.localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                 until: { $0.contains("\r\n\r\n") }),
                (send: "ping-1", until: { $0.hasSuffix("ping-1") }),
                (send: "ping-2", until: { $0.hasSuffix("ping-2") }),
            ])
            #expect(raw.hasPrefix("HTTP/1.1 101"))
            #expect(raw.lowercased().contains("upgrade: websocket"))
            #expect(raw.hasSuffix("ping-1ping-2"))
        }
    }

    @Test func oversizedHeadersGet431AndOversizedBodies413() async throws {
        let backend = try await TestBackend.start(name: "l")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("l", [backend])), configure: { $0.maxRequestBodyBytes = 1024 }) { harness in
            let big = String(repeating: "x", count: 10_000)
            let raw = try await RawHTTP.exchange(port: harness.ports.http, [
                (send: "GET / HTTP/1.1\r\nHost: l.localhost\r\nX-Big: \(big)\r\n\r\n", until: { $0.contains("</html>") })
            ])
            #expect(raw.hasPrefix("HTTP/1.1 431"))
            let tooLarge = try await harness.fetch(
                host: "l.localhost", path: "/upload", method: .POST, body: .bytes(ByteBuffer(repeating: 1, count: 2048)))
            #expect(tooLarge.status == 413)
            let fine = try await harness.fetch(
                host: "l.localhost", path: "/upload", method: .POST, body: .bytes(ByteBuffer(repeating: 1, count: 512)))
            #expect(fine.body.hasPrefix("512 "))
        }
    }

    @Test func backendThatNeverAnswersGets504() async throws {
        let backend = try await TestBackend.start(name: "hang")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("hang", [backend])), configure: { $0.firstByteTimeout = .seconds(1) }) { harness in
            // The backend never answers: a 504 at all is the timeout's doing.
            let response = try await harness.fetch(host: "hang.localhost", path: "/hang")
            #expect(response.status == 504)
            #expect(try await harness.fetch(host: "hang.localhost").status == 200)
        }
    }

    @Test func tableUpdatesApplyLiveAndSpareRequestsInFlight() async throws {
        let old = try await TestBackend.start(name: "old")
        let new = try await TestBackend.start(name: "new")
        defer { Task { await old.stop(); await new.stop() } }
        try await RouterHarness.with(table(version: 1, app("live", [old]))) { harness in
            #expect(try await harness.fetch(host: "later.localhost").status == 404)
            async let slow = harness.fetch(host: "live.localhost", path: "/slow?ms=1500")
            // The slow request is in flight at the old backend before the table changes.
            #expect(try await old.waitUntilReceived("/slow"))
            harness.router.update(table(version: 2, app("live", [new]), app("later", [new])))
            #expect(try await harness.fetch(host: "later.localhost").body == "backend new")
            #expect(try await harness.fetch(host: "live.localhost").body == "backend new")
            let finished = try await slow
            #expect(finished.status == 200)
            #expect(finished.body == "slow old")
        }
    }

    @Test func metricsAndHealthOnTheAdminListener() async throws {
        let backend = try await TestBackend.start(name: "m")
        defer { Task { await backend.stop() } }
        try await RouterHarness.with(table(app("m", [backend]))) { harness in
            for _ in 0..<3 { _ = try await harness.fetch(host: "m.localhost") }
            _ = try await harness.fetch(host: "missing.localhost")
            let admin = try #require(harness.ports.admin)
            let health = try await harness.client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(admin)/healthz"), timeout: .seconds(10))
            #expect(health.status == .ok)
            let metrics = try await harness.client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(admin)/metrics"), timeout: .seconds(10))
            let text = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
            #expect(text.contains("paas_router_requests_total{app=\"m\",status=\"2xx\"} 3"))
            #expect(text.contains("paas_router_requests_total{app=\"-\",status=\"4xx\"} 1"))
            #expect(text.contains("paas_router_request_duration_seconds_count{app=\"m\"} 3"))
            #expect(text.contains("paas_router_requests_in_flight "))
        }
    }
}

/// A backend that answers its first request, keeping the connection alive, and is stopped after:
/// a further request on that connection closes it unanswered.
final class StoppingBackend: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    static let stopped = Atomic<Bool>(false)
    /// How many requests came on a kept-alive connection after the stop (and were closed unanswered).
    static let closedKeptAlive = Atomic<Int>(0)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !Self.stopped.exchange(true, ordering: .relaxed) else {
            Self.closedKeptAlive.add(1, ordering: .relaxed)
            context.close(promise: nil)
            return
        }
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\nContent-Type: text/plain\r\n\r\nbackend stopping"
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: response)), promise: nil)
    }
}
