import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.small)) struct LogMergeTests {
    /// A traceback written in one go: every line has the same millisecond, and sorting by text
    /// would put the `    return` lines before the `  File` lines.
    static let traceback = [
        "2026-11-25T12:00:00.123Z app[web.1]: Traceback (most recent call last):",
        "2026-11-25T12:00:00.123Z app[web.1]:   File \"/app/x.py\", line 3, in f",
        "2026-11-25T12:00:00.123Z app[web.1]:     return g()",
        "2026-11-25T12:00:00.123Z app[web.1]:   File \"/app/x.py\", line 5, in g",
        "2026-11-25T12:00:00.123Z app[web.1]:     raise ValueError()",
        "2026-11-25T12:00:00.123Z app[web.1]: ValueError",
    ]

    @Test func linesOfOneHostKeepTheirOrderOnEqualTimestamps() {
        let other = [
            "2026-11-25T12:00:00.100Z app[worker.1]: b before",
            "2026-11-25T12:00:00.123Z app[worker.1]: a same millisecond",
            "2026-11-25T12:00:00.124Z app[worker.1]: c after",
        ]
        let merged = LogMerge.merge([Self.traceback, other])
        #expect(merged == [other[0]] + Self.traceback + [other[1], other[2]])
        #expect(merged.filter { $0.contains("web.1") } == Self.traceback)
        #expect(merged.filter { $0.contains("worker.1") } == other)
        // The other way round, the other host's line of the same time comes first.
        #expect(LogMerge.merge([other, Self.traceback]) == [other[0], other[1]] + Self.traceback + [other[2]])
    }

    @Test func microsecondAndMillisecondTimesMergeByTime() {
        let older = ["2026-11-25T12:00:00.123Z paas[deploy]: old runner", "2026-11-25T12:00:01Z paas[deploy]: whole second"]
        let newer = ["2026-11-25T12:00:00.122999Z app[web.1]: first", "2026-11-25T12:00:00.123001Z app[web.1]: third"]
        #expect(LogMerge.merge([older, newer]) == [newer[0], older[0], newer[1], older[1]])
    }

    @Test func aLineWithoutTimeStaysBehindTheLineBeforeIt() {
        let first = ["2026-11-25T12:00:00.500000Z app[web.1]: one", "no time here", "2026-11-25T12:00:00.900000Z app[web.1]: three"]
        let second = ["2026-11-25T12:00:00.600000Z app[web.2]: two"]
        #expect(LogMerge.merge([first, second]) == [first[0], first[1], second[0], first[2]])
    }

    @Test func entriesParseTheTextFormAndTellBadTimes() throws {
        let entry = try #require(LogEntry(line: "2026-11-25T12:00:00.123456Z app[web.1]: a: [b] c"))
        #expect(entry == LogEntry(time: "2026-11-25T12:00:00.123456Z", source: "app", process: "web.1", text: "a: [b] c"))
        #expect(entry.line == "2026-11-25T12:00:00.123456Z app[web.1]: a: [b] c")
        #expect(LogEntry.timeKey("2026-11-25T12:00:00.123Z") == "2026-11-25T12:00:00123000000")
        #expect(LogEntry.timeKey("2026-11-25T12:00:00Z") == "2026-11-25T12:00:00000000000")
        for bad in ["", "yesterday", "2026-11-25 12:00:00Z", "2026-11-25T12:00:00.Z", "2026-11-25T12:00:00.12a4Z"] {
            #expect(LogEntry.timeKey(bad[...]) == nil, "\(bad)")
        }
        #expect(LogEntry(line: "2026-11-25T12:00:00Z no brackets") == nil)
    }
}
