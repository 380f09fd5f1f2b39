import Logging
import ServiceLifecycle

/// Runs `service` (a Hummingbird application) while `body` runs, then shuts it down gracefully
/// and waits until it has stopped. Not by cancelling it: a cancelled NIO server traps
/// ("Deinited NIOAsyncWriter without calling finish()") when it had accepted a connection it
/// had not served yet (apple/swift-nio#3481).
public func withServing<T: Sendable>(
    _ service: some Service, logger: Logger, _ body: () async throws -> T
) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result = await Result(catching: body)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}
