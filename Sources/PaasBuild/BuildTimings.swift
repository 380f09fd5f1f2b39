#if canImport(Glibc)
import Glibc
#endif

/// How long each stage of a build took, in the order they ran: what a push shows in its
/// `-----> Build took …` line (and keeps in the build's output), so that a slow build says where
/// its time went.
public struct BuildTimings: Sendable, Equatable {
    /// One stage: a short lower-case name (`cache restore`, `python compile`) and its duration.
    public struct Stage: Sendable, Equatable {
        public var name: String
        public var duration: Duration

        public init(name: String, duration: Duration) {
            self.name = name
            self.duration = duration
        }
    }

    /// The stages, in order.
    public private(set) var stages: [Stage] = []

    public init(stages: [Stage] = []) { self.stages = stages }

    /// Adds a stage at the end.
    public mutating func record(_ name: String, _ duration: Duration) {
        stages.append(Stage(name: name, duration: max(duration, .zero)))
    }

    /// Runs `body` and records how long it took as the stage `name`.
    mutating func measure<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { record(name, ContinuousClock.now - started) }
        return try await body()
    }

    /// The stages as `export 0.05 s, cache restore 0.20 s, …`.
    public var summary: String {
        stages.map { "\($0.name) \(Self.seconds($0.duration)) s" }.joined(separator: ", ")
    }

    /// The sum of the stages.
    public var total: Duration { stages.reduce(.zero) { $0 + $1.duration } }

    /// `1.23`: seconds with two decimals.
    public static func seconds(_ duration: Duration) -> String {
        let hundredths = max(0, (duration.components.seconds * 100) + (duration.components.attoseconds + 5_000_000_000_000_000) / 10_000_000_000_000_000)
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    /// The wall clock now, in seconds since the epoch: what the build driver's
    /// `$EPOCHREALTIME` stamps are compared with.
    static func realtimeNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
