/// Rewrites receive-pack's report so that a refused push shows the platform's reason.
///
/// When the pre-receive hook fails, receive-pack reports each ref as
/// `ng <ref> pre-receive hook declined`; git then prints `! [remote rejected] main -> main
/// (pre-receive hook declined)`. This passes receive-pack's response through and replaces that
/// reason with the one the platform gave (e.g. `build failed: no buildpack detected`). The
/// report travels in side-band channel 1 when the client asked for side-band (every current git
/// does) and as bare pkt-lines otherwise; both are handled. Everything else passes unchanged.
///
/// A value type without I/O: feed it bytes, send on what it returns.
struct ReportStatusRewriter {
    /// The reason receive-pack gives when the pre-receive hook exits non-zero.
    static let hookDeclined = "pre-receive hook declined"

    private enum Mode { case undecided, sideBand, plain }

    /// The reason to report instead of `hookDeclined`; nil passes the report unchanged.
    let reason: () -> String?
    private var mode = Mode.undecided
    private var outer: [UInt8] = []
    /// The report-status stream carried in side-band channel 1.
    private var report: [UInt8] = []

    init(reason: @escaping () -> String?) {
        self.reason = reason
    }

    /// Takes the next bytes of receive-pack's output; returns the bytes to send on.
    mutating func feed(_ bytes: [UInt8]) throws -> [UInt8] {
        outer += bytes
        var out: [UInt8] = []
        while let packet = try PktLine.next(from: &outer) {
            switch packet {
            case .special(let kind):
                out += Array(format4(kind).utf8)
            case .data(let payload):
                if mode == .undecided { mode = (1...3).contains(payload.first ?? 0) ? .sideBand : .plain }
                if mode == .plain {
                    out += PktLine.encode(rewrite(payload))
                } else if payload.first == 1 {
                    out += try rewriteSideBand(Array(payload.dropFirst()))
                } else {
                    out += PktLine.encode(payload)
                }
            }
        }
        return out
    }

    /// The bytes still held back when receive-pack's output ends (an incomplete packet).
    mutating func finish() -> [UInt8] {
        defer { outer = [] }
        return outer
    }

    private mutating func rewriteSideBand(_ data: [UInt8]) throws -> [UInt8] {
        report += data
        var rewritten: [UInt8] = []
        while let packet = try PktLine.next(from: &report) {
            switch packet {
            case .special(let kind): rewritten += Array(format4(kind).utf8)
            case .data(let line): rewritten += PktLine.encode(rewrite(line))
            }
        }
        guard !rewritten.isEmpty else { return [] }
        // Send the rewritten report on channel 1 in packets of at most the maximum size.
        var out: [UInt8] = []
        var start = 0
        while start < rewritten.count {
            let end = min(start + PktLine.maxPayload - 1, rewritten.count)
            out += PktLine.encode([1] + rewritten[start..<end])
            start = end
        }
        return out
    }

    private func rewrite(_ line: [UInt8]) -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        let suffix = " " + Self.hookDeclined
        guard text.hasPrefix("ng "), let reason = reason() else { return line }
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard body.hasSuffix(suffix) else { return line }
        let oneLine = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
        return Array((body.dropLast(suffix.count) + " " + oneLine + "\n").utf8)
    }

    private func format4(_ kind: UInt16) -> String {
        let hex = String(kind, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}
