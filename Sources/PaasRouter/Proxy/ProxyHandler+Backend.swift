import NIOCore
import NIOHTTP1

/// The backend half of ``ProxyHandler``: choosing and connecting a backend, relaying the
/// response, finishing the request.
extension ProxyHandler {
    /// Sends `request` to the next untried backend: a pooled connection if there is one, else a
    /// new one; a refused connection marks the backend and tries another.
    func connectBackend(_ request: ProxiedRequest) {
        request.leaveBackend()
        guard let backends = request.backends, let backend = backends.select(excluding: request.tried) else {
            request.error = ("H13", "No backend accepted the connection")
            answer(.badGateway, page: ErrorPage.status(.badGateway), close: !request.requestEnded)
            return
        }
        request.tried.append(backend)
        request.backend = backend
        let pool = services.pool(for: context.eventLoop)
        if let pooled = pool.acquire(backend.key) {
            attach(pooled, to: request, reused: true)
            return
        }
        pool.connect(to: backend) { [self] result in
            guard self.request === request, phase == .connecting else {
                if case .success(let handler) = result { handler.close() }
                return
            }
            switch result {
            case .success(let handler):
                attach(handler, to: request, reused: false)
            case .failure:
                backend.markRefused(for: services.refusedBackendPause)
                services.metrics.connectFailed(app: request.app)
                connectBackend(request)
            }
        }
    }

    private func attach(_ handler: BackendHandler, to request: ProxiedRequest, reused: Bool) {
        backend = handler
        handler.proxy = self
        request.onReusedConnection = reused
        request.connectedAt = .now()
        phase = .proxying
        let head = ForwardedHeaders.backendRequest(
            request.head, requestID: request.requestID, clientAddress: clientAddress, proto: listener.proto,
            port: localPort, upgrade: request.isUpgrade)
        handler.send(.head(head))
        for part in request.buffered { handler.send(part) }
        request.buffered.removeAll()
        handler.flush()
        if request.requestEnded { armTimer(services.firstByteTimeout) }
        if handler.isWritable { resumeClientReads() }
    }

    /// A response part from the backend.
    func backendRead(_ part: HTTPClientResponsePart) {
        guard phase == .proxying, let request else { return }
        switch part {
        case .head(let head) where head.status.code < 200 && head.status.code != 101:
            writeToClient(.head(HTTPResponseHead(version: request.head.version, status: head.status)), flush: true)
        case .head(let head):
            cancelTimer()
            request.responseStarted = true
            request.status = Int(head.status.code)
            let switching = head.status == .switchingProtocols && request.isUpgrade
            var headers = ForwardedHeaders.clientResponseHeaders(
                head.headers, requestID: request.requestID, switching: switching)
            if !switching, request.isUpgrade || !keepAlive, !listener.isHTTP2 {
                keepAlive = false
                headers.add(name: "Connection", value: "close")
            }
            writeToClient(
                .head(HTTPResponseHead(version: request.head.version, status: head.status, headers: headers)),
                flush: switching)
            if switching { switchProtocols(request) }
        case .body(let body):
            request.responseBytes += body.readableBytes
            writeToClient(.body(.byteBuffer(body)), flush: false)
        case .end(let trailers):
            writeToClient(.end(trailers), flush: true)
            guard let handler = backend else { return }
            backend = nil
            if request.requestEnded, handler.responseKeepAlive {
                services.pool(for: context.eventLoop).release(handler)
            } else {
                handler.close()
            }
            finishRequest(request, closing: !keepAlive || !request.requestEnded)
        }
    }

    func backendReadComplete() {
        flushClientIfNeeded()
    }

    func backendBecameWritable() {
        resumeClientReads()
    }

    /// Requests without a body that a backend may see twice without harm.
    static let idempotentMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    /// The backend connection closed while this request used it.
    func backendClosed() {
        guard phase == .proxying, let request else { return }
        backend = nil
        cancelTimer()
        if request.responseStarted {
            // Truncated: the client learns by the connection closing.
            finishRequest(request, closing: true)
            return
        }
        if request.bodyBytes == 0, request.requestEnded, request.replays == 0,
            request.onReusedConnection || Self.idempotentMethods.contains(request.head.method)
        {
            // The backend closed an idle keep-alive connection as the request went out: the same
            // backend on a new connection. Or it closed a new one unanswered, as a process does
            // that stops while a request waits in its accept queue: a request that is safe to
            // repeat goes to another backend (nginx's `proxy_next_upstream error` does the same).
            request.replays += 1
            request.buffered = [.end(nil)]
            if request.onReusedConnection { request.tried.removeLast() }
            phase = .connecting
            connectBackend(request)
            return
        }
        request.error = ("H13", "Connection closed without response")
        request.leaveBackend()
        answer(.badGateway, page: ErrorPage.status(.badGateway), close: !request.requestEnded)
    }

    /// Answers the current request with the router's own response (error page or redirect).
    func answer(
        _ status: HTTPResponseStatus, page: String, extraHeaders: [(String, String)] = [], close: Bool = false
    ) {
        let request = self.request
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Length", value: String(page.utf8.count))
        if let request { headers.add(name: "X-Request-Id", value: request.requestID) }
        headers.add(contentsOf: extraHeaders)
        if close, !listener.isHTTP2 {
            keepAlive = false
            headers.add(name: "Connection", value: "close")
        }
        let version = request?.head.version ?? .http1_1
        writeToClient(.head(HTTPResponseHead(version: version, status: status, headers: headers)), flush: false)
        if !page.isEmpty, request?.head.method != .HEAD {
            writeToClient(.body(.byteBuffer(context.channel.allocator.buffer(string: page))), flush: false)
        }
        writeToClient(.end(nil), flush: true)
        guard let request else {
            context.close(promise: nil)
            return
        }
        request.status = Int(status.code)
        request.responseStarted = true
        request.responseBytes = page.utf8.count
        finishRequest(request, closing: close || !keepAlive)
    }

    /// Records the request once and readies the connection for the next one, or closes it.
    /// A request answered before its body ended stays current until the body is read and dropped.
    func finishRequest(_ request: ProxiedRequest, closing: Bool) {
        if !request.recorded {
            request.recorded = true
            AccessLog.record(request, clientAddress: clientAddress, proto: listener.proto, services: services)
            request.leaveBackend()
        }
        if closing {
            self.request = nil
            phase = .closed
            if context.channel.isActive { context.close(promise: nil) }
        } else if request.requestEnded {
            self.request = nil
            phase = .idle
            armTimer(services.clientIdleTimeout)
            resumeClientReads()
        } else {
            phase = .answered
        }
    }
}
