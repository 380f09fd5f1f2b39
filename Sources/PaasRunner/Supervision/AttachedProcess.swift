import NIOCore
import PaasAPI
import PaasContainers

/// A one-off process whose standard streams the caller holds (`paas run` interactive): its
/// terminal, or pipes for its input and its merged output.
public struct AttachedProcess: Sendable {
    /// What the process writes, as it comes; ends when nothing can write any more (the process
    /// has ended) or the caller closed the streams. Reading the terminal after its end may throw.
    public let output: NIOAsyncChannelInboundStream<ByteBuffer>
    /// Its standard input.
    public let input: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let stdio: ContainerStdio
    let process: any RunningProcess

    /// Sets the terminal's size; nothing for pipes.
    public func resize(_ size: TerminalSize) throws {
        try stdio.resize(rows: size.rows, columns: size.columns)
    }

    /// No more input: the terminal's end-of-file character (Ctrl-D, at the start of a line), or
    /// the end of the input pipe.
    public func endInput() async throws {
        if stdio.isTerminal {
            try await input.write(ByteBuffer(bytes: [0x04]))
        } else {
            input.finish()
        }
    }

    /// Stops the process (SIGTERM, SIGKILL after 2 s); returns once it has ended.
    public func stop() async {
        await process.stop(grace: .seconds(2))
    }

    /// Waits for the process to end and says how it did.
    public func waitForExit() async -> ExitReason {
        await process.waitForExit()
    }
}

extension ProcessLauncherFactory {
    public func runAttached(
        _ request: ProcessStartRequest, terminal: TerminalSize?, _ body: (AttachedProcess) async throws -> Void
    ) async throws {
        throw RunnerError(code: "attach_unsupported", message: "This runner cannot run interactive processes.", kind: .invalid)
    }
}
