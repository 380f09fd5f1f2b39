import NIOCore
import NIOHTTP1

/// The admin listener: `GET /healthz` answers `ok`, `GET /metrics` the Prometheus text.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: RouterMetrics
    private var head: HTTPRequestHead?

    init(metrics: RouterMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, contentType, body): (HTTPResponseStatus, String, String) =
                switch (head.method, head.uri.split(separator: "?").first ?? "") {
                case (.GET, "/healthz"): (.ok, "text/plain; charset=utf-8", "ok\n")
                case (.GET, "/metrics"): (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.render())
                default: (.notFound, "text/plain; charset=utf-8", "not found\n")
                }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !head.isKeepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        }
    }
}
