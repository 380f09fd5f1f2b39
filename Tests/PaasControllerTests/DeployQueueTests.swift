import Testing

@testable import PaasController

/// What happened, in order.
private actor Recorder {
    private(set) var all: [String] = []
    func add(_ event: String) { all.append(event) }
}

@Suite(.tags(.small)) struct DeployQueueTests {
    @Test func deploysOfOneAppWaitForEachOtherWhileOtherAppsGoOn() async throws {
        let queue = DeployQueue()
        let events = Recorder()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let (started, signalStarted) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await queue.serialized("a") {
                await events.add("a1 start")
                signalStarted.yield()
                for await _ in gate { break }
                await events.add("a1 end")
            }
        }
        for await _ in started { break }
        let second = Task { try await queue.serialized("a") { await events.add("a2") } }
        try await queue.serialized("b") { await events.add("b") }
        #expect(await events.all == ["a1 start", "b"], "b did not wait for a; a2 waits for a1")
        open.yield()
        try await first.value
        try await second.value
        #expect(await events.all == ["a1 start", "b", "a1 end", "a2"])
    }

    @Test func aFailedDeployDoesNotBlockTheNextOne() async throws {
        struct Boom: Error {}
        let queue = DeployQueue()
        await #expect(throws: Boom.self) { try await queue.serialized("a") { throw Boom() } }
        #expect(try await queue.serialized("a") { 42 } == 42)
    }
}
