// The framing of an interactive run's full-duplex HTTP body (`POST /v1/apps/{app}/runs/interactive`
// on the controller, `POST /v1/runs/interactive` on a runner), both ways: one kind byte, the
// payload's length (4 bytes, big-endian), the payload.

/// One frame of an interactive run's request or response body.
public enum RunFrame: Sendable, Equatable {
    /// Client → server, first frame only: what to run (`InteractiveRunRequest` on the controller,
    /// `InteractiveProcessRequest` on a runner), in JSON.
    case start([UInt8])
    /// Client → server: bytes for the process's standard input (keystrokes on a terminal).
    case input([UInt8])
    /// Client → server: the terminal's new size.
    case resize(TerminalSize)
    /// Client → server: no more input (end of file on a pipe, Ctrl-D on a terminal).
    case endOfInput
    /// Server → client: bytes the process wrote (standard output and error, or the terminal's).
    case output([UInt8])
    /// Server → client, last frame: how the process ended (`RunExit` in JSON).
    case exit([UInt8])

    /// The media type of a body made of frames.
    public static let mediaType = "application/vnd.paas.run-frames"
    /// The largest payload a frame may carry.
    public static let maximumPayload = 1 << 20

    enum Kind: UInt8 {
        case start = 1, input, resize, endOfInput, output, exit
    }

    var kind: Kind {
        switch self {
        case .start: .start
        case .input: .input
        case .resize: .resize
        case .endOfInput: .endOfInput
        case .output: .output
        case .exit: .exit
        }
    }

    var payload: [UInt8] {
        switch self {
        case .start(let bytes), .input(let bytes), .output(let bytes), .exit(let bytes): bytes
        case .resize(let size): Self.bigEndian(UInt32(UInt16(clamping: size.rows)) << 16 | UInt32(UInt16(clamping: size.columns)))
        case .endOfInput: []
        }
    }

    /// The frame on the wire.
    public var encoded: [UInt8] {
        let payload = self.payload
        return [kind.rawValue] + Self.bigEndian(UInt32(payload.count)) + payload
    }

    /// The frame of `kind` with `payload`; nil when the payload does not fit the kind.
    init?(kind: Kind, payload: ArraySlice<UInt8>) {
        switch kind {
        case .start: self = .start(Array(payload))
        case .input: self = .input(Array(payload))
        case .output: self = .output(Array(payload))
        case .exit: self = .exit(Array(payload))
        case .endOfInput:
            guard payload.isEmpty else { return nil }
            self = .endOfInput
        case .resize:
            guard payload.count == 4 else { return nil }
            let value = Self.uint32(payload)
            self = .resize(TerminalSize(rows: Int(value >> 16), columns: Int(value & 0xFFFF)))
        }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
