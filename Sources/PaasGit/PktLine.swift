import NIOCore

/// git's pkt-line framing: four hexadecimal digits giving the length (header included), then
/// the payload; `0000` is a flush packet. Used to rewrite receive-pack's report (see
/// `ReportStatusRewriter`) and to frame the `info/refs` service announcement.
enum PktLine {
    /// A packet: payload bytes, or a special packet (flush `0000`, delimiter `0001`, response end `0002`).
    enum Packet: Equatable {
        case data([UInt8])
        case special(UInt16)
    }

    /// The largest payload of one packet (65520 bytes in all).
    static let maxPayload = 65516

    /// Frames `payload` as one packet.
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        Array(hexLength(payload.count + 4).utf8) + payload
    }

    /// Frames `text` as one packet.
    static func encode(_ text: String) -> [UInt8] { encode(Array(text.utf8)) }

    /// The flush packet.
    static let flush = Array("0000".utf8)

    /// Takes the first whole packet off `buffer`; nil when it does not hold one yet.
    /// Throws when the length header is not hexadecimal (the stream is not pkt-lines).
    static func next(from buffer: inout [UInt8]) throws -> Packet? {
        guard buffer.count >= 4 else { return nil }
        guard let length = UInt16(String(decoding: buffer[0..<4], as: UTF8.self), radix: 16) else {
            throw GitError.malformedPacket
        }
        if length < 4 {
            buffer.removeFirst(4)
            return .special(length)
        }
        guard buffer.count >= Int(length) else { return nil }
        let payload = Array(buffer[4..<Int(length)])
        buffer.removeFirst(Int(length))
        return .data(payload)
    }

    private static func hexLength(_ value: Int) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}
