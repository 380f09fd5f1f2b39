// The text form of an app's log line, as `GET /v1/apps/{app}/logs` returns it, and its JSON form.

/// One line of an app's log: `<time> <source>[<process>]: <text>` (Heroku's `logs` format),
/// e.g. `2026-11-25T12:00:00.123456Z app[web.1]: Listening on 5000`. As JSON (`paas logs
/// --json`): `{"time": …, "source": "app", "process": "web.1", "text": …}`.
public struct LogEntry: Codable, Sendable, Equatable {
    /// When the line was written: ISO 8601 in UTC, with microseconds (milliseconds in lines
    /// written by older runners).
    public var time: String
    /// Who wrote it: `app` for the app's own processes, `paas` for the platform.
    public var source: String
    /// Which process or part: `web.1`, `run.1`, `deploy`, `router`.
    public var process: String
    /// The text, without its line break.
    public var text: String

    public init(time: String, source: String, process: String, text: String) {
        self.time = time
        self.source = source
        self.process = process
        self.text = text
    }

    /// Parses a line of the text form; nil for anything else.
    public init?(line: Substring) {
        guard let space = line.firstIndex(of: " "), Self.timeKey(line[..<space]) != nil else { return nil }
        let rest = line[line.index(after: space)...]
        guard let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]"),
            rest[close...].hasPrefix("]: ")
        else { return nil }
        self.init(
            time: String(line[..<space]), source: String(rest[..<open]),
            process: String(rest[rest.index(after: open)..<close]), text: String(rest[rest.index(close, offsetBy: 3)...]))
    }

    /// The text form.
    public var line: String { "\(time) \(source)[\(process)]: \(text)" }

    /// A key that orders lines by their time when compared as strings, whatever the precision
    /// of their fraction (`2026-11-25T12:00:00.123Z` and `….123456Z` alike): the seconds, then
    /// the fraction padded to nine digits. Nil when `time` is not `YYYY-MM-DDTHH:MM:SS[.f]Z`.
    public static func timeKey(_ time: Substring) -> String? {
        let bytes = Array(time.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        let pattern = Array("dddd-dd-ddTdd:dd:dd".utf8)
        for (byte, expected) in zip(bytes, pattern) {
            let matches = expected == UInt8(ascii: "d") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            guard matches else { return nil }
        }
        var fraction = bytes[19..<(bytes.count - 1)]
        if !fraction.isEmpty {
            guard fraction.first == UInt8(ascii: "."), fraction.count >= 2, fraction.count <= 10,
                fraction.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            fraction = fraction.dropFirst()
        }
        let digits = String(decoding: fraction, as: UTF8.self)
        return String(decoding: bytes[0..<19], as: UTF8.self) + digits + String(repeating: "0", count: 9 - digits.count)
    }

    /// The time key (`timeKey(_:)`) of a line of the text form; nil when it does not start with a time.
    public static func timeKey(ofLine line: Substring) -> String? {
        timeKey(line.prefix { $0 != " " })
    }
}
