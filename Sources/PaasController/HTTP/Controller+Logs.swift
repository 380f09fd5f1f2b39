import PaasClient

/// An app's log is kept by each host its processes ran on; these merge the hosts' parts.
extension Controller {
    /// The newest `lines` lines over every host, in time order (lines start with their timestamp).
    static func mergedLogs(of app: String, lines: Int, hosts: [HostRunner]) async throws -> [String] {
        var merged: [String] = []
        try await withThrowingTaskGroup(of: [String].self) { group in
            for host in hosts { group.addTask { try await host.client.logs(app: app, lines: lines) } }
            for try await part in group { merged += part }
        }
        return Array(merged.sorted().suffix(lines))
    }

    /// The hosts' log streams as one: the last `lines` lines of each, then new lines as they come.
    static func followLogs(of app: String, lines: Int, hosts: [HostRunner]) async throws -> AsyncThrowingStream<ServerSentEvent, any Error> {
        var streams: [AsyncThrowingStream<ServerSentEvent, any Error>] = []
        for host in hosts { streams.append(try await host.client.followLogs(app: app, lines: lines)) }
        let (merged, continuation) = AsyncThrowingStream<ServerSentEvent, any Error>.makeStream()
        let readers = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for stream in streams {
                        group.addTask { for try await event in stream { continuation.yield(event) } }
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
