import NIOCore
import NIOHTTP1

/// The end of a backend connection: hands response parts to the ``ProxyHandler`` it serves and
/// stops reading from the backend while that client cannot take more bytes.
///
/// Idle in a ``BackendConnectionPool`` it has no proxy and keeps reading, so a backend that
/// closes the connection is noticed.
final class BackendHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let key: BackendKey
    /// The client side this connection serves now; `nil` while pooled.
    var proxy: ProxyHandler?
    /// When the connection went back to the pool.
    var idleSince = NIODeadline.now()
    /// Whether the last final response allows another request on this connection.
    private(set) var responseKeepAlive = true
    private var context: ChannelHandlerContext?
    private var readPending = false

    init(key: BackendKey) {
        self.key = key
    }

    var channel: Channel? { context?.channel }
    var isActive: Bool { context?.channel.isActive ?? false }
    var isWritable: Bool { context?.channel.isWritable ?? true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, head.status.code >= 200 || head.status.code == 101 {
            responseKeepAlive = head.isKeepAlive
        }
        guard let proxy else {
            // A pooled connection has nothing to say; a backend that talks anyway is not reused.
            context.close(promise: nil)
            return
        }
        proxy.backendRead(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        proxy?.backendReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let proxy = self.proxy
        self.proxy = nil
        proxy?.backendClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { proxy?.backendBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let proxy, !proxy.clientIsWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Reads again if a read was held back for a slow client.
    func resumeReading() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }

    func send(_ part: HTTPClientRequestPart) {
        context?.write(wrapOutboundOut(part), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    func close() {
        proxy = nil
        context?.close(promise: nil)
    }
}
