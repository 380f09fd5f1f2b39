/// Polls `check` every `interval` until it returns a value, and returns that value.
///
/// `limit` only guards against a hang: it is far above what the slowest machine needs (a test
/// must not fail because the machine is loaded), and reaching it throws a failure that says what
/// was awaited and, through `state`, what was seen last. A check that knows the wait is hopeless
/// (a process crashed) should throw at once instead.
public func eventually<Value>(
    _ what: String, limit: Duration = .seconds(300), interval: Duration = .milliseconds(100),
    state: () async -> String = { "" }, _ check: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now + limit
    while true {
        if let value = try await check() { return value }
        guard ContinuousClock.now < deadline else {
            let seen = await state()
            throw TestFailure("\(what) did not happen within \(limit)" + (seen.isEmpty ? "" : ": \(seen)"))
        }
        try await Task.sleep(for: interval)
    }
}
