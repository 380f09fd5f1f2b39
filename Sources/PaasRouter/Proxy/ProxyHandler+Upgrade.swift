import NIOCore
import NIOHTTP1

/// After a backend answers `101 Switching Protocols`: both connections stop speaking HTTP and
/// their bytes are spliced until either side closes.
extension ProxyHandler {
    func switchProtocols(_ request: ProxiedRequest) {
        phase = .upgraded
        cancelTimer()
        request.recorded = true
        AccessLog.record(request, clientAddress: clientAddress, proto: listener.proto, services: services)
        request.leaveBackend()
        self.request = nil
        guard let handler = backend, let backendChannel = handler.channel else {
            context.close(promise: nil)
            return
        }
        // The handler keeps pointing here until it leaves the pipeline: the decoder still
        // delivers the 101's end, which a proxy-less (pooled) handler would take as a protocol error.
        backend = nil
        let clientChannel = context.channel
        // Out of the decoders' call stacks before taking them out of the pipelines.
        context.eventLoop.assumeIsolated().execute { [self] in
            do {
                try splice(clientChannel, handler, backendChannel)
            } catch {
                services.logger.debug("Protocol switch failed", metadata: ["error": "\(error)"])
                clientChannel.close(promise: nil)
                backendChannel.close(promise: nil)
            }
        }
    }

    private func splice(_ clientChannel: Channel, _ handler: BackendHandler, _ backendChannel: Channel) throws {
        let client = clientChannel.pipeline.syncOperations
        let server = backendChannel.pipeline.syncOperations
        let clientSplice = SpliceHandler()
        let backendSplice = SpliceHandler()
        clientSplice.partner = backendSplice
        backendSplice.partner = clientSplice
        // HTTP handlers that would choke on raw bytes go first; the decoders last, so bytes they
        // still hold reach the splices.
        _ = client.removeHandler(try client.handler(type: HTTPResponseEncoder.self))
        _ = client.removeHandler(try client.handler(type: HTTPServerPipelineHandler.self))
        _ = client.removeHandler(self)
        try client.addHandler(clientSplice)
        _ = server.removeHandler(try server.handler(type: HTTPRequestEncoder.self))
        handler.proxy = nil
        _ = server.removeHandler(handler)
        try server.addHandler(backendSplice)
        _ = server.removeHandler(try server.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self))
        _ = client.removeHandler(try client.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self))
        clientChannel.flush()
        clientChannel.read()
        backendChannel.read()
    }
}
