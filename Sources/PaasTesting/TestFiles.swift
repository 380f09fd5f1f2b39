#if canImport(Glibc)
import Glibc
#endif

/// Small file helpers for tests that prepare and inspect directory trees (stacks, slugs, builds).
public enum TestFiles {
    /// Writes `text` to `path`, creating the parent directories, with `mode`.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        var current = ""
        for part in path.split(separator: "/").dropLast() {
            current += "/" + part
            mkdir(current, 0o755)
        }
        guard let file = fopen(path, "w") else { throw TestFailure("cannot write \(path)") }
        fputs(text, file)
        fclose(file)
        chmod(path, mode)
    }

    /// The file's contents, or nil when it cannot be read.
    public static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes (which do not compress), read from /dev/urandom in one go: drawn
    /// a byte at a time, each takes a system call, seconds for a few MiB on one of the few
    /// threads every test's tasks share.
    public static func randomBytes(_ count: Int) throws -> [UInt8] {
        guard let file = fopen("/dev/urandom", "r") else { throw TestFailure("cannot open /dev/urandom") }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: count)
        guard fread(&bytes, 1, count, file) == count else { throw TestFailure("/dev/urandom gave fewer bytes") }
        return bytes
    }

    /// Whether anything is at `path` (without following a symlink).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
