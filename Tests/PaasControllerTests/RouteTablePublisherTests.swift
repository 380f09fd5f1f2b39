import Logging
import PaasTesting
import Testing

@testable import PaasController

@Suite(.tags(.medium)) struct RouteTablePublisherTests {
    /// A deploy stops old processes once the routers have the table without them: `drain` waits
    /// for every watch to read on (its SSE handler has sent the table), not for a fixed time.
    /// The time limit only guards against a drain that never returns (its settle is an hour).
    @Test(.timeLimit(.minutes(15)))
    func drainReturnsOnceEveryWatchHasProcessedTheTable() async throws {
        try await TestPlatform.withRunning { platform in
            try await platform.withStore { store in
                let publisher = RouteTablePublisher(
                    store: store, configuration: ControllerConfiguration(), logger: Logger(label: "paas-test-routes"))
                let tables = try await publisher.watch()
                let (firstVersion, sawFirst) = AsyncStream<Int>.makeStream()
                let (gate, readOn) = AsyncStream<Void>.makeStream()
                // The router's side: reads the first table, then reads on when told to.
                let watcher = Task {
                    var reader = tables.makeAsyncIterator()
                    sawFirst.yield(await reader.next()?.version ?? -1)
                    for await _ in gate { break }
                    _ = await reader.next()
                }
                var versions = firstVersion.makeAsyncIterator()
                #expect((await versions.next() ?? -1) >= 0)

                // The settle is far longer than the test may take: only the watch's progress ends it.
                let drained = Task { await publisher.drain(["gone.v1.web.1"], settle: .seconds(3600)) }
                try await eventually("drain waits for the watch", interval: .milliseconds(10)) {
                    await publisher.waitingDrains > 0 ? () : nil
                }
                #expect(await publisher.waitingDrains == 1, "one drain waits for the watch to read on")
                readOn.yield()
                await drained.value
                #expect(await publisher.waitingDrains == 0)
                await publisher.finishWatches()
                await watcher.value
            }
        }
    }
}
