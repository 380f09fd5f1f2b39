import ServiceLifecycle

extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// The same elements, but the sequence ends (without error) when the server that answers
    /// with it shuts down gracefully.
    ///
    /// For responses that stream until their client leaves (`paas logs -t`): a graceful
    /// shutdown waits for every open response, so one that only ends with its client would
    /// hold the server's stop forever. Must be called from the request's task, which carries
    /// the server's graceful-shutdown signal; outside a service group it never ends early.
    public func endingAtGracefulShutdown() -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        // An unstructured task keeps the caller's task-locals, the shutdown signal among them.
        let task = Task {
            do {
                try await cancelWhenGracefulShutdown {
                    for try await element in self { continuation.yield(element) }
                }
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
