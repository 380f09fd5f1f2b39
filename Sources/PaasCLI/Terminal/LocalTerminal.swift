// The user's side of `paas run` interactive: the terminal's size and raw mode, standard input
// as frames, and the process's output written as it comes.
import Foundation
import PaasAPI

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's own standard streams during an interactive run.
enum LocalTerminal {
    /// Whether `descriptor` is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Whether standard input is a pipe or a file, i.e. there is data to pass on.
    static var inputIsPipeOrFile: Bool {
        var status = stat()
        guard fstat(0, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG || type == S_IFSOCK
    }

    /// The terminal's size (of standard input, else output); 24 × 80 when neither says.
    static func size() -> TerminalSize {
        var size = winsize()
        for descriptor: Int32 in [0, 1] where ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 && size.ws_col > 0 {
            return TerminalSize(rows: Int(size.ws_row), columns: Int(size.ws_col))
        }
        return TerminalSize(rows: 24, columns: 80)
    }

    /// A terminal in raw mode: keystrokes, Ctrl-C included, go to the remote process as bytes.
    final class RawMode {
        private var saved = termios()
        private var active = false

        /// Puts standard input in raw mode, if it is a terminal.
        init() {
            guard isTerminal(0), tcgetattr(0, &saved) == 0 else { return }
            var raw = saved
            cfmakeraw(&raw)
            active = tcsetattr(0, TCSANOW, &raw) == 0
        }

        /// Puts the terminal back as it was; only the first call does anything.
        func restore() {
            guard active else { return }
            active = false
            tcsetattr(0, TCSANOW, &saved)
        }

        deinit { restore() }
    }

    /// Standard input as frames: `.input` as it is read, `.endOfInput` at its end, and with
    /// `watchSize` a `.resize` whenever the window changes (SIGWINCH). The stream does not end:
    /// ending it would tell the server the client has left.
    static func inputFrames(watchSize: Bool) -> AsyncStream<RunFrame> {
        let (frames, continuation) = AsyncStream<RunFrame>.makeStream()
        // A blocking read on a thread of its own: standard input may be a terminal, a pipe or a file.
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let count = read(0, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                continuation.yield(.input(Array(buffer[..<count])))
            }
            continuation.yield(.endOfInput)
        }
        reader.start()
        if watchSize {
            signal(SIGWINCH, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGWINCH)
            source.setEventHandler { continuation.yield(.resize(size())) }
            // A resumed source lives until cancelled: here, until `paas` exits.
            source.resume()
        }
        return frames
    }

    /// Writes `bytes` to standard output, all of them, unbuffered.
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }
}
