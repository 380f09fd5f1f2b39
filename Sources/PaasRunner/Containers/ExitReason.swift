import FoundationEssentials
import PaasContainers

/// How an app process's container ended.
public enum ExitReason: Sendable, Equatable, CustomStringConvertible {
    /// The process exited with this status (tini passes its child's status on).
    case exited(status: Int32)
    /// The process was killed by this signal (tini reports 128 + N, which is read back as N).
    case killed(signal: Int32)
    /// The memory cgroup's OOM killer killed a process and the container ended.
    case outOfMemory
    /// The container could not be started; the message says why.
    case startFailed(String)

    /// The reason for a container's exit status (as `runc run` returns it) and the OOM count.
    init(status: Int32, oomKills: Int) {
        if status != 0, oomKills > 0 {
            self = .outOfMemory
        } else if status > 128, status <= 128 + 64 {
            self = .killed(signal: status - 128)
        } else {
            self = .exited(status: status)
        }
    }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .killed(let signal): "killed by signal \(signal)"
        case .outOfMemory: "out of memory"
        case .startFailed(let message): "could not start: \(message)"
        }
    }
}

/// One line an app process wrote, stamped when the runner read it.
public struct OutputLine: Sendable, Equatable {
    /// When the line arrived.
    public var time: Date
    /// Standard output or error; a run container's two are one pipe, whose lines all come as
    /// `.standardOutput`.
    public var stream: ContainerRuntime.Stream
    /// The line without its line break (long lines come in 16 KiB pieces).
    public var text: String

    public init(time: Date, stream: ContainerRuntime.Stream, text: String) {
        self.time = time
        self.stream = stream
        self.text = text
    }
}
