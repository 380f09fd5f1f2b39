import NIOCore

/// Closes a TCP client connection that has sent nothing for a while (after `IdleStateHandler`),
/// so idle clients cannot hold connections open forever (RFC 7766 §6.2.3).
final class IdleConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
