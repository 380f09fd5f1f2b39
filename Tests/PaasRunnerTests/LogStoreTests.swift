import Foundation
import PaasRunner
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct LogStoreTests {
    private func line(_ text: String, dyno: String = "web.1", source: String = "app") -> LogLine {
        LogLine(time: Date(timeIntervalSince1970: 1_800_000_000.25), source: source, dyno: dyno, text: text)
    }

    @Test func linesAreKeptInHerokuFormatAndReadBackInOrder() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory)
        try await store.append(line("listening on 5000"), app: "shop")
        try await store.append(line("v5 deployed", dyno: "deploy", source: "paas"), app: "shop")
        try await store.append(line("other app"), app: "blog")
        let recent = try await store.recent(app: "shop", count: 10)
        #expect(recent.map(\.formatted) == [
            "2027-01-15T08:00:00.250000Z app[web.1]: listening on 5000",
            "2027-01-15T08:00:00.250000Z paas[deploy]: v5 deployed",
        ])
        #expect(try await store.recent(app: "shop", count: 1).map(\.text) == ["v5 deployed"])
        // A restarted runner reads what the last one wrote.
        let again = try LogStore(directory: directory)
        #expect(try await again.recent(app: "blog", count: 10).map(\.text) == ["other app"])
    }

    @Test func timesHaveMicrosecondsAndOldMillisecondLinesStillRead() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let time = Date(timeIntervalSince1970: 1_800_000_000.123456)
        #expect(LogLine(time: time, source: "app", dyno: "web.1", text: "x").formatted == "2027-01-15T08:00:00.123456Z app[web.1]: x")
        #expect(LogLine(time: Date(timeIntervalSince1970: 1_799_999_999.9999996), source: "a", dyno: "b", text: "").formatted
            == "2027-01-15T08:00:00.000000Z a[b]: ")
        try "2027-01-15T08:00:00.120Z app[web.1]: old\n2027-01-15T08:00:01Z paas[deploy]: whole\n".write(
            toFile: directory + "/shop.log", atomically: true, encoding: .utf8)
        let store = try LogStore(directory: directory)
        try await store.append(LogLine(time: time, source: "app", dyno: "web.1", text: "new"), app: "shop")
        let recent = try await store.recent(app: "shop", count: 10)
        #expect(recent.map(\.text) == ["old", "whole", "new"])
        #expect(abs(recent[0].time.timeIntervalSince1970 - 1_800_000_000.12) < 0.000_01)
        #expect(recent[1].time == Date(timeIntervalSince1970: 1_800_000_001))
        #expect(abs(recent[2].time.timeIntervalSince1970 - 1_800_000_000.123456) < 0.000_001)
    }

    @Test func recentLinesAndNewOnesNeitherOverlapNorLeaveAGap() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory)
        let writer = Task {
            for index in 0..<2000 { try await store.append(line("line \(index)"), app: "shop") }
        }
        // Somewhere in the middle of the writes.
        while try await store.recent(app: "shop", count: 1).isEmpty { await Task.yield() }
        let (recent, new) = try await store.recentAndFollow(app: "shop", count: 100_000)
        try await writer.value
        // Every line is written now: ending the followers lets the loop below take what the
        // stream holds and stop (the writer may well have finished before the follow began).
        try await store.remove(app: "shop")
        var seen = recent.map(\.text)
        for await line in new { seen.append(line.text) }
        #expect(seen == (0..<2000).map { "line \($0)" })
    }

    @Test func aLineWithNewlinesStaysOneLine() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory)
        try await store.append(line("two\nparts"), app: "shop")
        #expect(try await store.recent(app: "shop", count: 5).map(\.text) == ["two parts"])
    }

    @Test func logsAreBoundedByRotation() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory, maximumBytes: 4096)
        for index in 0..<1000 { try await store.append(line("line \(index)"), app: "shop") }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == ["shop.log", "shop.log.1"])
        let total = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: directory + "/" + $1)[.size] as? Int) ?? 0) }
        #expect(total <= 2 * 4096)
        let recent = try await store.recent(app: "shop", count: 3)
        #expect(recent.map(\.text) == ["line 997", "line 998", "line 999"])
    }

    @Test func followersGetNewLinesOfTheirAppOnly() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory)
        let stream = try await store.follow(app: "shop")
        try await store.append(line("for blog"), app: "blog")
        try await store.append(line("first"), app: "shop")
        try await store.append(line("second"), app: "shop")
        var received: [String] = []
        for await line in stream {
            received.append(line.text)
            if received.count == 2 { break }
        }
        #expect(received == ["first", "second"])
    }

    @Test func removingAnAppDeletesItsLogsAndBadNamesAreRefused() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-logs")
        defer { TemporaryDirectory.remove(directory) }
        let store = try LogStore(directory: directory)
        try await store.append(line("x"), app: "shop")
        try await store.remove(app: "shop")
        #expect(try await store.recent(app: "shop", count: 5).isEmpty)
        await #expect(throws: RunnerError.self) { try await store.append(line("x"), app: "../etc") }
    }
}
