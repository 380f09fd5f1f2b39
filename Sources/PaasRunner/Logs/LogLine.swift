#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI

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

    /// Parses a line written by `formatted` (the API's `LogEntry` text form); nil for anything else.
    public init?(formatted line: Substring) {
        guard let entry = LogEntry(line: line), let time = Self.parse(entry.time[...]) else { return nil }
        self.init(time: time, source: entry.source, dyno: entry.process, text: entry.text)
    }

    /// Whole seconds; the fraction is written and read by hand (the style knows milliseconds only).
    private static let secondsStyle = Date.ISO8601FormatStyle()

    /// `2026-11-25T12:00:00.123456Z`: microseconds, so that lines of several hosts merge finely.
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = interval.rounded(.down)
        var micros = Int(((interval - seconds) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let whole = secondsStyle.format(Date(timeIntervalSince1970: seconds))
        let digits = String(micros)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// Reads `format`'s times, and the millisecond ones that older runners wrote.
    static func parse(_ text: Substring) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        guard let dot = text.firstIndex(of: ".") else { return try? secondsStyle.parse(String(text)) }
        let digits = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCII), let fraction = Int(digits),
            let whole = try? secondsStyle.parse(String(text[..<dot]) + "Z")
        else { return nil }
        var scale = 1.0
        for _ in 0..<digits.count { scale *= 10 }
        return whole.addingTimeInterval(Double(fraction) / scale)
    }
}
