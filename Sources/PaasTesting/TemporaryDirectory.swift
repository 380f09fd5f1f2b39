#if canImport(Glibc)
import Glibc
#endif
import Foundation

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

    /// Removes `path` and everything in it. The name goes at once (the tree is moved into a
    /// hidden trash directory beside it); the files go on a thread of their own, so that the
    /// caller, often a thread of Swift's cooperative pool (two on two cores), is not held for
    /// the seconds a large tree takes: that stalled every other test's tasks meanwhile.
    public static func remove(_ path: String) {
        guard path.hasPrefix("/tmp/") else { return }
        var template = Array("/tmp/.paas-trash-XXXXXX".utf8CString)
        guard let pointer = mkdtemp(&template) else { return removeNow(path) }
        let trash = String(cString: pointer)
        guard rename(path, trash + "/tree") == 0 else {
            // Not movable (a mount point, say): removed in place, here.
            rmdir(trash)
            return removeNow(path)
        }
        Thread.detachNewThread { removeNow(trash) }
    }

    /// `rm -rf path`, waited for here (a thread of its own, or the caller's when moving failed).
    private static func removeNow(_ path: String) {
        guard let remover = try? SpawnedProcess.start("/bin/rm", ["-rf", "--", path], log: "/dev/null") else { return }
        var status: Int32 = 0
        waitpid(remover.pid, &status, 0)
    }
}
