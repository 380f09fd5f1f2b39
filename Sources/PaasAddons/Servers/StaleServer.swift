#if canImport(Glibc)
import Glibc
#endif
import Logging

/// A server that an earlier paasd left running when it died without stopping it (SIGKILL, a
/// crash): found through the server's pid file, recognized by its executable and its current
/// directory (the data directory: a reused pid is never mistaken for it), and stopped
/// before a new one starts on the same data directory (which it would otherwise keep locked).
enum StaleServer {
    /// Stops the process named in `launch.pidFile` when it still runs `launch.program` in
    /// `launch.dataDirectory`.
    static func stop(_ launch: ServerLaunch, logger: Logger) async {
        guard let pidFile = launch.pidFile, let dataDirectory = launch.dataDirectory, let text = LocalFiles.read(pidFile),
            let line = text.split(whereSeparator: \.isNewline).first, let processID = pid_t(line), processID > 1,
            sameFile(resolvedLink("/proc/\(processID)/exe"), launch.program),
            sameFile(resolvedLink("/proc/\(processID)/cwd"), dataDirectory)
        else { return }
        logger.warning("stopping an add-on server left running by an earlier start", metadata: ["pid": "\(processID)"])
        kill(processID, launch.stopSignal)
        if await !waitUntilGone(processID, within: launch.stopTimeout) {
            kill(processID, SIGKILL)
            _ = await waitUntilGone(processID, within: .seconds(10))
        }
    }

    /// Whether `actual` (a resolved path) is `expected` once its links are resolved.
    private static func sameFile(_ actual: String?, _ expected: String) -> Bool {
        guard let actual, let resolved = realpath(expected, nil) else { return false }
        defer { free(resolved) }
        return actual == String(cString: resolved)
    }

    private static func resolvedLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func waitUntilGone(_ processID: pid_t, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while LocalFiles.exists("/proc/\(processID)") {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
