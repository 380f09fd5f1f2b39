import NIOCore
import NIOHTTP1

/// The client end of the proxy, one per HTTP/1 connection or HTTP/2 stream: routes each request
/// by Host, sends it to a backend connection and relays the response, streaming both ways.
///
/// Backpressure: reads from the client are held while the backend connection is not writable
/// (or not there yet), and the ``BackendHandler`` holds backend reads while the client is not
/// writable. Everything runs on the connection's event loop.
final class ProxyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How the client reached the router.
    struct Listener: Sendable {
        var isSecure: Bool
        var isHTTP2: Bool
        var proto: String { isSecure ? "https" : "http" }
    }

    enum Phase {
        /// Waiting for a request head.
        case idle
        /// A backend connection is being made; client reads are held.
        case connecting
        /// Request and response flow between client and backend.
        case proxying
        /// The router answered itself; the rest of the request body is discarded.
        case answered
        /// Raw bytes are spliced after a 101.
        case upgraded
        case closed
    }

    let services: RouterServices
    let listener: Listener
    var context: ChannelHandlerContext!
    var phase = Phase.idle
    var request: ProxiedRequest?
    var backend: BackendHandler?
    var keepAlive = true
    private var readPending = false
    private var backendNeedsFlush = false
    private var clientNeedsFlush = false
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    private var deadline: NIODeadline?
    private(set) lazy var clientAddress: String? = context.channel.remoteAddress?.ipAddress
    private(set) lazy var localPort: String = context.channel.localAddress?.port.map(String.init) ?? "-"

    init(services: RouterServices, listener: Listener) {
        self.services = services
        self.listener = listener
    }

    var clientIsWritable: Bool { context?.channel.isWritable ?? true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { armTimer(services.headerReadTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(services.headerReadTimeout)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): startRequest(head)
        case .body(let body): requestBody(body)
        case .end: requestEnded()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if backendNeedsFlush {
            backendNeedsFlush = false
            backend?.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        switch phase {
        case .connecting:
            readPending = true
        case .proxying where !(backend?.isWritable ?? true):
            readPending = true
        default:
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { backend?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        timer?.cancel()
        timer = nil
        if let request, phase == .connecting || phase == .proxying {
            // The client left mid-request: the backend connection cannot be reused.
            backend?.close()
            backend = nil
            request.status = request.responseStarted ? request.status : 499
            request.error = ("H27", "Client Request Interrupted")
            finishRequest(request, closing: true)
        }
        phase = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let parserError = error as? HTTPParserError, phase == .idle {
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            answer(status, page: ErrorPage.status(status), close: true)
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: Client request

    private func startRequest(_ head: HTTPRequestHead) {
        cancelTimer()
        guard phase == .idle else { return }
        services.metrics.requestStarted()
        let host = head.headers.first(name: "host") ?? ""
        let request = ProxiedRequest(
            head: head, requestID: ForwardedHeaders.requestID(from: head.headers), host: host, start: .now())
        self.request = request
        keepAlive = listener.isHTTP2 || head.isKeepAlive
        let snapshot = services.snapshot
        guard let index = snapshot.table.index(forHost: host) else {
            answer(.notFound, page: ErrorPage.unknownHost(host))
            return
        }
        let app = snapshot.table.apps[index]
        request.app = app.name
        if app.redirectHTTPS, !listener.isSecure, let location = redirectLocation(host: host, uri: head.uri) {
            answer(.movedPermanently, page: "", extraHeaders: [("Location", location)])
            return
        }
        if let length = head.headers.first(name: "content-length").flatMap(Int.init),
            length > services.configuration.maxRequestBodyBytes
        {
            answer(.payloadTooLarge, page: ErrorPage.status(.payloadTooLarge), close: true)
            return
        }
        let backends = snapshot.backends[index]
        guard !backends.isEmpty else {
            request.error = ("H14", "No web processes running")
            answer(.serviceUnavailable, page: ErrorPage.noWebProcesses(app: app.name))
            return
        }
        request.backends = backends
        request.isUpgrade = !listener.isHTTP2 && ForwardedHeaders.isUpgradeRequest(head.headers)
        phase = .connecting
        connectBackend(request)
    }

    private func requestBody(_ body: ByteBuffer) {
        guard let request else { return }
        request.bodyBytes += body.readableBytes
        if request.bodyBytes > services.configuration.maxRequestBodyBytes, phase == .connecting || phase == .proxying {
            if request.responseStarted {
                context.close(promise: nil)
            } else {
                dropBackend(request)
                answer(.payloadTooLarge, page: ErrorPage.status(.payloadTooLarge), close: true)
            }
            return
        }
        switch phase {
        case .connecting:
            request.buffered.append(.body(.byteBuffer(body)))
        case .proxying:
            backend?.send(.body(.byteBuffer(body)))
            backendNeedsFlush = true
        default:
            break
        }
    }

    private func requestEnded() {
        guard let request else { return }
        request.requestEnded = true
        switch phase {
        case .connecting:
            request.buffered.append(.end(nil))
        case .proxying:
            backend?.send(.end(nil))
            backend?.flush()
            backendNeedsFlush = false
            if !request.responseStarted { armTimer(services.firstByteTimeout) }
        case .answered:
            finishRequest(request, closing: false)
        default:
            break
        }
    }

    private func redirectLocation(host: String, uri: String) -> String? {
        let configured = services.redirectHTTPSPort.load(ordering: .relaxed)
        guard configured > 0 else { return nil }
        let name = RouteTable.stripPort(host)
        return configured == 443 ? "https://\(name)\(uri)" : "https://\(name):\(configured)\(uri)"
    }

    // MARK: Timers

    /// Sets the one deadline the connection waits for (header read, idle or first byte).
    /// Re-arming per request only moves the deadline: a scheduled timer that fires early
    /// re-schedules itself, so steady keep-alive traffic schedules almost no timers.
    func armTimer(_ amount: TimeAmount) {
        let deadline = NIODeadline.now() + amount
        self.deadline = deadline
        if let timerFiresAt, timerFiresAt <= deadline { return }
        schedule(at: deadline)
    }

    func cancelTimer() {
        deadline = nil
    }

    private func schedule(at time: NIODeadline) {
        timer?.cancel()
        timerFiresAt = time
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { [self] in
            timer = nil
            timerFiresAt = nil
            guard let deadline else { return }
            if deadline > .now() {
                schedule(at: deadline)
            } else {
                self.deadline = nil
                timerFired()
            }
        }
    }

    private func timerFired() {
        switch phase {
        case .idle where request == nil:
            // Headers never came (or a kept-alive connection stayed idle).
            if listener.isHTTP2 { return }
            context.close(promise: nil)
        case .proxying where request?.responseStarted == false:
            guard let request else { return }
            dropBackend(request)
            request.error = ("H12", "Request timeout")
            answer(.gatewayTimeout, page: ErrorPage.status(.gatewayTimeout), close: !request.requestEnded)
        default:
            break
        }
    }

    // MARK: Helpers shared with the backend side

    /// Lets the client send more after a hold.
    func resumeClientReads() {
        guard readPending else { return }
        readPending = false
        context.read()
    }

    /// Ends the request's use of its backend connection without reusing it.
    func dropBackend(_ request: ProxiedRequest) {
        cancelTimer()
        backend?.close()
        backend = nil
        request.leaveBackend()
    }

    func flushClientIfNeeded() {
        guard clientNeedsFlush else { return }
        clientNeedsFlush = false
        context.flush()
    }

    func writeToClient(_ part: HTTPServerResponsePart, flush: Bool) {
        context.write(wrapOutboundOut(part), promise: nil)
        if flush {
            clientNeedsFlush = false
            context.flush()
        } else {
            clientNeedsFlush = true
        }
    }
}
