// Reading files that a build controls, from the host.
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

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
