// Small file operations on the host side of a build, without following symlinks.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

enum HostFiles {
    /// The names in a directory (without `.` and `..`), in byte order.
    static func children(of path: String) throws -> [String] {
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
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & 0o170000 == 0o040000
    }

    /// Whether anything (even a dangling symlink) is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a file, a symlink or a directory tree; nothing there is fine.
    static func remove(_ path: String) throws {
        guard exists(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw BuildError(
                code: BuildError.Code.ioFailed, message: "cannot remove \(path)", cause: error)
        }
    }

    /// Creates a directory and its parents with `mode`.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BuildError(code: BuildError.Code.ioFailed, message: "cannot create \(path)", cause: error)
        }
        guard chmod(path, mode) == 0 else { throw failure("chmod", path) }
    }

    /// Reads a whole file as UTF-8 (invalid bytes replaced); nil when there is no file.
    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` to `path` with `mode`, replacing what was there.
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw failure("write", path)
        }
        guard chmod(path, mode) == 0 else { throw failure("chmod", path) }
    }

    /// Gives `path` and everything under it to `uid:gid` (symlinks themselves, not their targets).
    static func changeOwner(_ path: String, uid: uid_t, gid: gid_t) throws {
        guard lchown(path, uid, gid) == 0 else { throw failure("chown", path) }
        guard isDirectory(path) else { return }
        for name in try children(of: path) {
            try changeOwner(path + "/" + name, uid: uid, gid: gid)
        }
    }

    private static func failure(_ action: String, _ path: String) -> BuildError {
        BuildError(
            code: BuildError.Code.ioFailed,
            message: "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}

extension HostFiles {
    /// Reads a regular file of at most `limit` bytes that the build controls (an app file, a
    /// driver report) without following a symlink at `path`: nil when there is no such regular
    /// file. A build could otherwise point the host, which reads as root, at the host's files.
    static func readUntrusted(_ path: String, limit: Int = 1 << 20) -> String? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & 0o170000 == 0o100000, info.st_size <= limit else {
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + total, $0.count - total) }
            guard count > 0 else { break }
            total += count
        }
        return String(decoding: bytes[..<total], as: UTF8.self)
    }
}
