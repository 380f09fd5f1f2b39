/// How long a dead server waits before it starts again: `initialDelay` after its first death,
/// doubling with each death in a row up to `maximumDelay`, back to `initialDelay` once a run
/// lasted `resetAfter`. Pure logic: the supervisor says what happened, it answers how long.
public struct ServerBackoff: Sendable, Equatable {
    /// The first delay.
    public var initialDelay: Duration = .milliseconds(250)
    /// The longest delay.
    public var maximumDelay: Duration = .seconds(30)
    /// A run this long means the server recovered.
    public var resetAfter: Duration = .seconds(60)
    /// Deaths in a row so far.
    public private(set) var consecutiveDeaths = 0

    public init() {}

    /// Records a death after `uptime` and returns the wait before the next start.
    public mutating func died(after uptime: Duration) -> Duration {
        if uptime >= resetAfter { consecutiveDeaths = 0 }
        consecutiveDeaths += 1
        var delay = initialDelay
        for _ in 1..<consecutiveDeaths {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return delay
    }
}
