import NIOCore
import NIOPosix

/// Raw bytes over TCP, for what HTTP clients refuse to send (huge headers, protocol switches).
enum RawHTTP {
    /// Connects to 127.0.0.1:`port`, writes each of `messages` (the next once the answer so far
    /// satisfies `until` for the previous one), and returns everything read, until the last
    /// `until` is satisfied or the connection closes.
    static func exchange(port: Int, _ steps: [(send: String, until: @Sendable (String) -> Bool)]) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var received = ""
            var iterator = inbound.makeAsyncIterator()
            for step in steps {
                try await outbound.write(ByteBuffer(string: step.send))
                while !step.until(received), let buffer = try await iterator.next() {
                    received += String(buffer: buffer)
                }
            }
            return received
        }
    }
}
