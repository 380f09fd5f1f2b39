/// One managed server's state, as `health()` reports it.
public struct ServerHealth: Sendable, Equatable {
    /// Where a managed server is in its life.
    public enum State: String, Sendable, Equatable {
        /// Not started, or stopped on purpose.
        case stopped
        /// Started, not accepting connections yet.
        case starting
        /// Accepting connections.
        case running
        /// Died; waiting out the backoff before starting again.
        case restarting
    }

    /// The server's name (`mariadb`, `postgresql`, `redis-<addon>`).
    public var name: String
    /// Its state.
    public var state: State
    /// The process id while it runs.
    public var processID: Int32?
    /// How many times it was restarted after dying.
    public var restarts: Int
    /// How its last run ended, when it died (`killed by signal 9`, …).
    public var lastExit: String?

    public init(name: String, state: State, processID: Int32?, restarts: Int, lastExit: String?) {
        self.name = name
        self.state = state
        self.processID = processID
        self.restarts = restarts
        self.lastExit = lastExit
    }
}
