/// Runs deploys of the same app one after another (a push and a `config:set` at once must not
/// both start processes), while different apps deploy side by side.
actor DeployQueue {
    private var tails: [String: Task<Void, Never>] = [:]

    /// Runs `body` after every earlier body queued under `key` has finished. The body runs to its
    /// end even when the caller stops waiting (a deploy is not left half done).
    func serialized<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tails[key]
        let task = Task {
            await previous?.value
            return try await body()
        }
        tails[key] = Task { _ = try? await task.value }
        return try await task.value
    }
}
