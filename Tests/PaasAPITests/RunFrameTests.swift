import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.small)) struct RunFrameTests {
    static let frames: [RunFrame] = [
        .start(Array(#"{"command":["bash"]}"#.utf8)), .input([0x03, 0x0A]), .resize(TerminalSize(rows: 40, columns: 120)),
        .endOfInput, .output(Array(repeating: 0xFF, count: 70_000)), .output([]), .exit(Array(#"{"status":3}"#.utf8)),
    ]

    @Test func framesSurviveTheWireWhateverTheChunks() throws {
        let wire = Self.frames.flatMap(\.encoded)
        for chunkSize in [1, 2, 5, 7, 4096, wire.count] {
            var decoder = RunFrameDecoder()
            var decoded: [RunFrame] = []
            var offset = 0
            while offset < wire.count {
                decoded += try decoder.append(wire[offset..<min(offset + chunkSize, wire.count)])
                offset += chunkSize
            }
            #expect(decoded == Self.frames, "in chunks of \(chunkSize)")
            #expect(!decoder.isInsideFrame)
        }
    }

    @Test func aFrameIsItsKindItsLengthThenItsPayload() {
        #expect(RunFrame.input(Array("hi".utf8)).encoded == [2, 0, 0, 0, 2, 0x68, 0x69])
        #expect(RunFrame.resize(TerminalSize(rows: 40, columns: 120)).encoded == [3, 0, 0, 0, 4, 0, 40, 0, 120])
        #expect(RunFrame.endOfInput.encoded == [4, 0, 0, 0, 0])
    }

    @Test func aStreamCutInsideAFrameIsNoticed() throws {
        var decoder = RunFrameDecoder()
        #expect(try decoder.append(RunFrame.input([1, 2, 3]).encoded.dropLast()) == [])
        #expect(decoder.isInsideFrame)
    }

    @Test(arguments: [
        [UInt8(ascii: "{"), 0, 0, 0, 0],  // JSON is not a frame
        [9, 0, 0, 0, 0],  // unknown kind
        [2, 0x7F, 0, 0, 0],  // over the size limit
        [4, 0, 0, 0, 1, 0],  // end of input with a payload
        [3, 0, 0, 0, 2, 0, 1],  // a resize of two bytes
    ])
    func whatIsNotAFrameIsRefused(_ bytes: [UInt8]) {
        var decoder = RunFrameDecoder()
        #expect(throws: RunFrameDecoder.InvalidFrame.self) { try decoder.append(bytes) }
    }

    @Test func terminalSizesMustFitTheKernelsWindowSize() {
        #expect(TerminalSize(rows: 40, columns: 120).isValid)
        #expect(!TerminalSize(rows: 0, columns: 80).isValid)
        #expect(!TerminalSize(rows: 24, columns: 70_000).isValid)
    }
}
