import NIOCore

/// Prefixes each outgoing DNS message with its length in two bytes, for DNS over TCP.
/// Callers keep messages under 64 KiB (`DNSMessage.encoded(fitting:)`).
struct DNSFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(UInt16(clamping: data.readableBytes))
        out.writeImmutableBuffer(data.getSlice(at: data.readerIndex, length: min(data.readableBytes, 0xFFFF))!)
    }
}
