/// When a crashed process starts again: 1 s after its first crash, doubling with each crash in a
/// row up to 5 minutes, and back to 1 s once it has stayed up for 10 minutes (Heroku's and
/// systemd's habit). A value type without clocks or I/O: the supervisor tells it
/// what happened and when, and it answers how long to wait.
public struct RestartBackoff: Sendable, Equatable {
    /// The first delay.
    public var initialDelay: Duration = .seconds(1)
    /// The longest delay.
    public var maximumDelay: Duration = .seconds(5 * 60)
    /// A process up this long has recovered: its next crash waits `initialDelay` again.
    public var resetAfter: Duration = .seconds(10 * 60)

    /// Crashes in a row so far (since the last reset).
    public private(set) var consecutiveCrashes = 0

    public init() {}

    public init(initialDelay: Duration, maximumDelay: Duration, resetAfter: Duration) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.resetAfter = resetAfter
    }

    /// Records that the process exited after running for `uptime`, and returns how long to wait
    /// before starting it again.
    public mutating func crashed(after uptime: Duration) -> Duration {
        if uptime >= resetAfter { consecutiveCrashes = 0 }
        consecutiveCrashes += 1
        var delay = initialDelay
        for _ in 1..<consecutiveCrashes {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }
}
