import PaasAPI
import PaasClient

/// An app's log is kept by each host its processes ran on; these merge the hosts' parts.
///
/// Each host's part is in the order its lines were written; the parts are merged by time only,
/// stably (`LogMerge`), so that lines written together (a traceback, all of one timestamp) stay
/// in their order.
extension Controller {
    /// The newest `lines` lines over every host, in time order.
    static func mergedLogs(of app: String, lines: Int, hosts: [HostRunner]) async throws -> [String] {
        let parts = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, host) in hosts.enumerated() {
                group.addTask { (index, try await host.client.logs(app: app, lines: lines)) }
            }
            var parts = Array(repeating: [String](), count: hosts.count)
            for try await (index, part) in group { parts[index] = part }
            return parts
        }
        return Array(LogMerge.merge(parts).suffix(max(lines, 0)))
    }

    /// The hosts' log streams as one: the newest `lines` lines over every host in time order
    /// (merged once every host has sent its recent lines), then new lines as they come, each
    /// host's in its order. Yields `data` lines only (a runner's `recent-end` event stays here).
    static func followLogs(of app: String, lines: Int, hosts: [HostRunner]) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        var streams: [AsyncThrowingStream<ServerSentEvent, any Error>] = []
        for host in hosts { streams.append(try await host.client.followLogs(app: app, lines: lines)) }
        let (merged, continuation) = AsyncThrowingStream<ServerSentEvent, any Error>.makeStream()
        let gate = RecentLogsGate(parts: streams.count, lines: lines, continuation: continuation)
        let readers = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, stream) in streams.enumerated() {
                        group.addTask {
                            var recent: [ServerSentEvent] = []
                            var caughtUp = false
                            do {
                                for try await event in stream {
                                    if caughtUp {
                                        continuation.yield(event)
                                    } else if event.event == LogStreamEvents.recentEnd {
                                        caughtUp = true
                                        await gate.arrive(index, recent)
                                    } else {
                                        recent.append(event)
                                    }
                                }
                            } catch {
                                // Never leave the other hosts' readers waiting at the gate.
                                if !caughtUp { await gate.arrive(index, []) }
                                throw error
                            }
                            // A stream that ended before its marker still gives its lines.
                            if !caughtUp { await gate.arrive(index, recent) }
                        }
                    }
                    try await group.waitForAll()
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in readers.cancel() }
        return merged
    }
}

/// Holds back each host's new log lines until every host has sent its recent ones, then yields
/// the recent ones merged by time (`LogMerge`).
private actor RecentLogsGate {
    private var parts: [[ServerSentEvent]?]
    private let lines: Int
    private let continuation: AsyncThrowingStream<ServerSentEvent, any Error>.Continuation
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parts: Int, lines: Int, continuation: AsyncThrowingStream<ServerSentEvent, any Error>.Continuation) {
        self.parts = Array(repeating: nil, count: parts)
        self.lines = lines
        self.continuation = continuation
    }

    /// Part `index`'s recent lines; returns once every part's have been yielded.
    func arrive(_ index: Int, _ recent: [ServerSentEvent]) async {
        parts[index] = recent
        guard parts.allSatisfy({ $0 != nil }) else {
            await withCheckedContinuation { waiting.append($0) }
            return
        }
        for event in LogMerge.merge(parts.map { $0 ?? [] }, line: \.data).suffix(max(lines, 0)) {
            continuation.yield(event)
        }
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }
}
