// Where output goes: data on stdout, progress and errors on stderr.
import Foundation
import PaasAPI

/// Writes the CLI's output: data to stdout, progress and errors to stderr.
enum Output {
    /// Writes a line of data to stdout.
    static func data(_ text: String) {
        print(text)
    }

    /// Writes a line of progress or information to stderr.
    static func info(_ text: String) {
        writeToStandardError(text + "\n")
    }

    /// Prints `value` as the API encodes it (snake_case keys, ISO 8601 dates, sorted keys), pretty-printed.
    static func json<Value: Encodable>(_ value: Value) throws {
        let encoder = APICoding.makeEncoder()
        encoder.outputFormatting.formUnion([.prettyPrinted, .withoutEscapingSlashes])
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Runs `body` as a progress step on stderr, Heroku style: `Creating foo... done, v3`.
    /// `done` turns the result into the text after `done, ` (nil for just `done`).
    static func step<Result>(
        _ message: String, done: (Result) -> String? = { _ in nil }, _ body: () async throws -> Result
    ) async throws -> Result {
        writeToStandardError(message + "... ")
        let result: Result
        do {
            result = try await body()
        } catch {
            writeToStandardError("failed\n")
            throw error
        }
        if let detail = done(result) {
            writeToStandardError("done, \(detail)\n")
        } else {
            writeToStandardError("done\n")
        }
        return result
    }

    /// A date for tables and fields: ISO 8601 in UTC to the second, e.g. `2025-01-31T09:15:02Z`.
    static func date(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// A release version as people write it: `v3`, or `-` for none.
    static func version(_ version: Int?) -> String {
        version.map { "v\($0)" } ?? "-"
    }

    /// Whether stderr may be coloured: a terminal, and `NO_COLOR` unset.
    static var colorOnStandardError: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Writes raw text to stderr, unbuffered.
    static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `Name: value` lines with the values aligned, as in `apps:info` and `config`:
    /// `[("Web URL", "http://…"), ("Release", "v3")]` → `Web URL: http://…` / `Release: v3`.
    static func fields(_ fields: [(String, String)]) -> [String] {
        let width = fields.map { $0.0.count }.max() ?? 0
        return fields.map { name, value in
            let label = name + ":"
            return value.isEmpty ? label : label.padded(to: width + 1) + " " + value
        }
    }
}
