#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of an app's log: a process's output (`app[web.1]`) or a platform event
/// (`paas[deploy]`), Heroku's `logs` format.
public struct LogLine: Sendable, Equatable {
    /// When the line was written.
    public var time: Date
    /// Who wrote it: `app` for the app's own processes, `paas` for the platform.
    public var source: String
    /// Which process or part: `web.1`, `deploy`, `router`.
    public var dyno: String
    /// The text, without its newline.
    public var text: String

    public init(time: Date, source: String, dyno: String, text: String) {
        self.time = time
        self.source = source
        self.dyno = dyno
        self.text = text
    }

    /// `2026-11-25T12:00:00.123456Z app[web.1]: text`, as kept on disk and shown by `paas logs`.
    public var formatted: String {
        "\(Self.format(time)) \(source)[\(dyno)]: \(text)"
    }

    /// Parses a line written by `formatted`; nil for anything else.
    public init?(formatted line: Substring) {
        guard let space = line.firstIndex(of: " "), let time = Self.parse(line[..<space]) else { return nil }
        let rest = line[line.index(after: space)...]
        guard let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]"),
            rest[close...].hasPrefix("]: ")
        else { return nil }
        self.init(
            time: time, source: String(rest[..<open]), dyno: String(rest[rest.index(after: open)..<close]),
            text: String(rest[rest.index(close, offsetBy: 3)...]))
    }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func format(_ date: Date) -> String { timeStyle.format(date) }

    private static func parse(_ text: Substring) -> Date? { try? timeStyle.parse(String(text)) }
}
