/// Splits a byte stream into `RunFrame`s, whatever the chunks it arrives in.
public struct RunFrameDecoder: Sendable {
    private var pending: [UInt8] = []

    /// Why a stream is not made of frames.
    public struct InvalidFrame: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init() {}

    /// Adds the bytes that came in and returns the frames they complete, in order.
    public mutating func append(_ bytes: some Sequence<UInt8>) throws(InvalidFrame) -> [RunFrame] {
        pending.append(contentsOf: bytes)
        var frames: [RunFrame] = []
        var start = 0
        while pending.count - start >= 5 {
            guard let kind = RunFrame.Kind(rawValue: pending[start]) else {
                throw InvalidFrame(description: "unknown frame kind \(pending[start])")
            }
            let length = Int(RunFrame.uint32(pending[(start + 1)..<(start + 5)]))
            guard length <= RunFrame.maximumPayload else {
                throw InvalidFrame(description: "a frame of \(length) bytes is over the limit of \(RunFrame.maximumPayload)")
            }
            guard pending.count - start - 5 >= length else { break }
            let payload = pending[(start + 5)..<(start + 5 + length)]
            guard let frame = RunFrame(kind: kind, payload: payload) else {
                throw InvalidFrame(description: "a \(kind) frame cannot carry \(length) bytes")
            }
            frames.append(frame)
            start += 5 + length
        }
        pending.removeFirst(start)
        return frames
    }

    /// Whether a frame has begun but not ended: a stream that stops here was cut off.
    public var isInsideFrame: Bool { !pending.isEmpty }
}
