import Logging
import NIOCore

/// Keeps a listener serving through errors that concern one packet or one connection (a failed
/// send, `EMFILE` on accept): logs them instead of passing them on, where they would end the
/// listener's async stream and with it the server.
final class ListenerErrorHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("DNS listener error", metadata: ["error": "\(error)"])
    }
}
