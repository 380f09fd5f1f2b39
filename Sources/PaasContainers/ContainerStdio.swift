// The standard input, output and error of a container whose caller talks to it byte by byte
// (`paas run` interactive): a pseudo-terminal, or pipes.
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The host side of a container's standard streams, made before the runtime starts.
///
/// With a terminal, the runtime's standard input, output and error are a pseudo-terminal's
/// secondary side on the host: `runc run` with `process.terminal` then makes the container's
/// own terminal and copies between the two, taking its size from the host's (it must have a
/// terminal: with pipes it fails with "open /dev/tty: no such device or address"). Without a
/// terminal, they are a pipe for input and one for both outputs.
///
/// The caller reads `outputDescriptor` and writes `inputDescriptor` (two descriptors of the
/// terminal's primary side, or the pipes' ends) and closes both; `runtimeDescriptors` go to the
/// runtime, which owns them once started.
/// Every descriptor is close-on-exec, so that no other child of the host inherits one (the
/// reader would then not see the end of the output).
public struct ContainerStdio: Sendable {
    /// The caller's side: the terminal's primary side, or the output pipe's read end.
    public let outputDescriptor: FileDescriptor
    /// The caller's side: the terminal's primary side (another descriptor), or the input pipe's write end.
    public let inputDescriptor: FileDescriptor
    /// For the runtime: its standard input, output and error (each its own descriptor).
    public let runtimeDescriptors: (input: FileDescriptor, output: FileDescriptor, error: FileDescriptor)
    /// Whether this is a terminal.
    public let isTerminal: Bool

    /// A pseudo-terminal of `rows` × `columns`.
    public static func terminal(rows: Int, columns: Int) throws -> ContainerStdio {
        // posix_openpt, unlockpt and ptsname are not in Swift's Glibc module: their ioctls.
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard primary >= 0 else { throw failure("cannot open a pseudo-terminal") }
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        guard ioctl(primary, Self.unlockRequest, &unlock) == 0, ioctl(primary, Self.numberRequest, &number) == 0 else {
            let error = failure("cannot set up the pseudo-terminal")
            close(primary)
            throw error
        }
        let secondary = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard secondary >= 0 else {
            let error = failure("cannot open the pseudo-terminal's secondary side")
            close(primary)
            throw error
        }
        let stdio = ContainerStdio(
            outputDescriptor: FileDescriptor(rawValue: primary),
            inputDescriptor: FileDescriptor(rawValue: fcntl(primary, F_DUPFD_CLOEXEC, 0)),
            runtimeDescriptors: (
                FileDescriptor(rawValue: secondary), FileDescriptor(rawValue: fcntl(secondary, F_DUPFD_CLOEXEC, 0)),
                FileDescriptor(rawValue: fcntl(secondary, F_DUPFD_CLOEXEC, 0))),
            isTerminal: true)
        try stdio.resize(rows: rows, columns: columns)
        return stdio
    }

    /// A pipe for input and one for output and error.
    public static func pipes() throws -> ContainerStdio {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0 else { throw failure("cannot make a pipe") }
        guard pipe(&output) == 0 else {
            let error = failure("cannot make a pipe")
            close(input[0])
            close(input[1])
            throw error
        }
        // pipe2 is not in Swift's Glibc module either.
        for descriptor in input + output { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return ContainerStdio(
            outputDescriptor: FileDescriptor(rawValue: output[0]), inputDescriptor: FileDescriptor(rawValue: input[1]),
            runtimeDescriptors: (
                FileDescriptor(rawValue: input[0]), FileDescriptor(rawValue: output[1]),
                FileDescriptor(rawValue: fcntl(output[1], F_DUPFD_CLOEXEC, 0))),
            isTerminal: false)
    }

    /// Sets the terminal's size (the runtime passes it on to the container's terminal when it
    /// gets SIGWINCH). Does nothing for pipes.
    public func resize(rows: Int, columns: Int) throws {
        guard isTerminal else { return }
        var size = winsize(ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: columns), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(outputDescriptor.rawValue, UInt(TIOCSWINSZ), &size) == 0 else {
            throw Self.failure("cannot set the terminal's size")
        }
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` (function-like macros, not imported).
    private static let unlockRequest: UInt = 0x4004_5431
    private static let numberRequest: UInt = 0x8004_5430

    /// Closes the runtime's descriptors (when the runtime could not be started with them).
    public func closeRuntimeDescriptors() {
        for descriptor in [runtimeDescriptors.input, runtimeDescriptors.output, runtimeDescriptors.error] {
            try? descriptor.close()
        }
    }

    private static func failure(_ message: String) -> ContainerError {
        ContainerError(code: ContainerError.Code.setupFailed, message: "\(message): \(String(cString: strerror(errno)))")
    }
}
