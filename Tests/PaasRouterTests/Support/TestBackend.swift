import Crypto
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 and a free port, standing in for an app's web process.
///
/// Paths: `/` answers `backend <name>`; `/headers` lists the request headers; `/upload` answers
/// `<length> <sha256>` of the body; `/download?bytes=N` streams N bytes; `/chunked` answers in
/// chunks; `/slow?ms=N` answers after N ms; `/hang` never answers; `/ws` (with `Upgrade`)
/// switches protocols and echoes bytes.
final class TestBackend: Sendable {
    let name: String
    let channel: Channel
    /// The paths (without query) of the requests whose head arrived, in order.
    let received: ReceivedPaths
    var port: Int { channel.localAddress!.port! }

    private init(name: String, channel: Channel, received: ReceivedPaths) {
        self.name = name
        self.channel = channel
        self.received = received
    }

    /// Waits (up to 60 s) until a request for `path` has reached this backend: the signal that
    /// it is in flight here.
    func waitUntilReceived(_ path: String) async throws -> Bool {
        for _ in 0..<6000 {
            if received.paths.withLock({ $0.contains(path) }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static func start(name: String) async throws -> TestBackend {
        let received = ReceivedPaths()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrade: NIOHTTPServerUpgradeSendableConfiguration = (
                        upgraders: [EchoUpgrader()], completionHandler: { _ in }
                    )
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withServerUpgrade: upgrade)
                    try channel.pipeline.syncOperations.addHandler(TestBackendHandler(name: name, received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestBackend(name: name, channel: channel, received: received)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// The paths a backend received, shared by its connections' handlers.
final class ReceivedPaths: Sendable {
    let paths = Mutex<[String]>([])
}

private final class TestBackendHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let name: String
    let received: ReceivedPaths
    private var head: HTTPRequestHead?
    private var hasher = SHA256()
    private var length = 0

    init(name: String, received: ReceivedPaths) {
        self.name = name
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            let path = head.uri.split(separator: "?").first.map(String.init) ?? "/"
            received.paths.withLock { $0.append(path) }
            hasher = SHA256()
            length = 0
        case .body(let body):
            length += body.readableBytes
            body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        case .end:
            guard let head else { return }
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?").first.map(String.init) ?? "/"
        let query = head.uri.split(separator: "?").dropFirst().first.map(String.init) ?? ""
        let number = Int(query.split(separator: "=").last ?? "") ?? 0
        switch path {
        case "/headers":
            send(context, head.headers.map { "\($0.name.lowercased()): \($0.value)\n" }.joined())
        case "/upload":
            let digest = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            send(context, "\(length) \(digest)")
        case "/download":
            var headers = HTTPHeaders([("Content-Length", String(number))])
            headers.add(name: "X-Backend", value: name)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            stream(context, remaining: number)
        case "/chunked":
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
            for index in 0..<5 {
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "chunk\(index);")))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case "/slow":
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(number))) {
                self.send(context, "slow \(self.name)")
            }
        case "/hang":
            break
        default:
            send(context, "backend \(name)")
        }
    }

    private func send(_ context: ChannelHandlerContext, _ text: String) {
        var headers = HTTPHeaders([("Content-Length", String(text.utf8.count))])
        headers.add(name: "X-Backend", value: name)
        headers.add(name: "Keep-Alive", value: "timeout=5")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Writes the next 64 KiB once the previous write is done, so memory stays flat.
    private func stream(_ context: ChannelHandlerContext, remaining: Int) {
        guard remaining > 0 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let size = min(remaining, 64 * 1024)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk)))).assumeIsolated().whenSuccess {
            self.stream(context, remaining: remaining - size)
        }
    }
}

/// Accepts `Upgrade: echo` (and `websocket`) and then echoes raw bytes.
private final class EchoUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let supportedProtocol = "websocket"
    let requiredUpgradeHeaders: [String] = []

    func buildUpgradeResponse(
        channel: Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        channel.eventLoop.makeSucceededFuture(initialResponseHeaders)
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        context.eventLoop.makeCompletedFuture {
            try context.pipeline.syncOperations.addHandler(EchoHandler(), position: .after(context.handler))
        }
    }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}
