#if canImport(Glibc)
import Glibc
#endif

/// Writes files that hold secrets: created with mode 0600 from the start, replaced atomically.
public enum SecretFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `contents` to `path` with mode 0600 (via a temporary file and rename).
    public static func write(_ contents: String, to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "Cannot write \(path): \(String(cString: strerror(errno))).") }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else { throw Failure(description: "Cannot write \(path): \(String(cString: strerror(errno))).") }
            written += result
        }
        guard fsync(descriptor) == 0, rename(temporary, path) == 0 else {
            throw Failure(description: "Cannot write \(path): \(String(cString: strerror(errno))).")
        }
    }
}
