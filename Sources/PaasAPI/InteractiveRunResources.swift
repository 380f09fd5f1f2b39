// What an interactive run (`paas run -- bash`) starts with: the `start` frame's payloads.

/// A terminal's size in character cells.
public struct TerminalSize: Codable, Sendable, Equatable {
    public var rows: Int
    public var columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// Whether both are in 1...65535 (what the kernel's window size holds).
    public var isValid: Bool { (1...65535).contains(rows) && (1...65535).contains(columns) }
}

/// The `start` frame of the controller's `POST /v1/apps/{app}/runs/interactive`.
public struct InteractiveRunRequest: Codable, Sendable, Equatable {
    /// The command: one shell command line (`["bash"]`) or a program and its arguments.
    public var command: [String]
    /// Extra environment variables for this run only.
    public var env: [String: String]?
    /// The client's terminal: the process gets a terminal of this size. Nil: plain pipes, the
    /// process's standard output and error come merged.
    public var terminal: TerminalSize?

    public init(command: [String], env: [String: String]? = nil, terminal: TerminalSize? = nil) {
        self.command = command
        self.env = env
        self.terminal = terminal
    }
}

/// The `start` frame of a runner's `POST /v1/runs/interactive`.
public struct InteractiveProcessRequest: Codable, Sendable, Equatable {
    /// The one-off process (its `command` set).
    public var process: ProcessStartRequest
    /// As in `InteractiveRunRequest`.
    public var terminal: TerminalSize?

    public init(process: ProcessStartRequest, terminal: TerminalSize?) {
        self.process = process
        self.terminal = terminal
    }
}
