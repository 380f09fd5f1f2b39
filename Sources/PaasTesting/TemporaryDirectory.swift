#if canImport(Glibc)
import Glibc
#endif

/// Temporary directories for tests, reachable by the unprivileged users that servers run as.
public enum TemporaryDirectory {
    /// Creates `/tmp/<prefix>-XXXXXX` with mode 0711 and returns its path.
    public static func make(prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let pointer = mkdtemp(&template) else {
            throw TestFailure("Cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let path = String(cString: pointer)
        chmod(path, 0o711)
        return path
    }

    /// Removes `path` and everything in it.
    public static func remove(_ path: String) {
        guard path.hasPrefix("/tmp/") else { return }
        _ = try? runSynchronously("/bin/rm", ["-rf", path])
    }

    private static func runSynchronously(_ program: String, _ arguments: [String]) throws {
        var pid: pid_t = 0
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, program, nil, nil, argv, environ) == 0 else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
