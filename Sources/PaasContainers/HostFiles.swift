// Small file operations on the host side of a container, without following symlinks.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// File operations the container code does as root on the host; failures throw `ContainerError`
/// with the code `container_io_failed`.
public enum HostFiles {
    /// The names in a directory (without `.` and `..`), in byte order.
    public static func children(of path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw failure("list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether `path` is a directory (a symlink to one is not).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & 0o170000 == 0o040000
    }

    /// Whether anything (even a dangling symlink) is at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a file, a symlink or a directory tree; nothing there is fine.
    ///
    /// Does not look for mounts: callers that mount into the tree unmount first.
    public static func remove(_ path: String) throws {
        guard exists(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw ContainerError(code: ContainerError.Code.ioFailed, message: "cannot remove \(path)", cause: error)
        }
    }

    /// Creates a directory and its parents with `mode` (the parents get the default mode).
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ContainerError(code: ContainerError.Code.ioFailed, message: "cannot create \(path)", cause: error)
        }
        guard chmod(path, mode) == 0 else { throw failure("chmod", path) }
    }

    /// Reads a whole file as UTF-8 (invalid bytes replaced); nil when there is no such file or
    /// it cannot be read.
    ///
    /// Reads until end of file rather than trusting the file's size: /proc and /sys files say
    /// they are empty, and a reader that stops after one read (FileManager does) gets only their
    /// first page.
    public static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` with `mode`, replacing what was there.
    ///
    /// The file is opened close-on-exec: a child process another thread starts meanwhile must not
    /// inherit it open for writing, or executing the file (slug-runner) fails with ETXTBSY.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("write", path) }
            bytes = bytes.dropFirst(written)
        }
        guard fchmod(descriptor, mode) == 0 else { throw failure("chmod", path) }
    }

    /// Gives `path` and everything under it to `uid:gid` (symlinks themselves, not their targets).
    public static func changeOwner(_ path: String, uid: uid_t, gid: gid_t) throws {
        guard lchown(path, uid, gid) == 0 else { throw failure("chown", path) }
        guard isDirectory(path) else { return }
        for name in try children(of: path) {
            try changeOwner(path + "/" + name, uid: uid, gid: gid)
        }
    }

    /// A `container_io_failed` error for `action` on `path`, with `errno`'s text.
    static func failure(_ action: String, _ path: String) -> ContainerError {
        ContainerError(
            code: ContainerError.Code.ioFailed,
            message: "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
