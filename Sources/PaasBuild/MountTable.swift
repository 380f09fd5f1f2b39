// The host's mounts as this process sees them, from /proc/self/mountinfo.
#if canImport(Glibc)
import Glibc
#endif

enum MountTable {
    /// The mount points in a mountinfo text (field 5 of each line, octal escapes decoded).
    static func mountPoints(in mountinfo: String) -> [String] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            return fields.count > 4 ? decode(fields[4]) : nil
        }
    }

    /// The mount points of this process's mount namespace; nil when mountinfo cannot be read.
    static func current() -> [String]? {
        readToEnd("/proc/self/mountinfo").map(mountPoints(in:))
    }

    /// Reads a /proc file to its end. Its size says 0, and a reader that trusts the size or stops
    /// after one read (FileManager does) gets only its first page, missing later mounts.
    static func readToEnd(_ path: String) -> String? {
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

    /// The mount points at `path` or below it; nil when mountinfo cannot be read.
    static func mountPoints(atOrUnder path: String) -> [String]? {
        current()?.filter { $0 == path || $0.hasPrefix(path + "/") }
    }

    /// Decodes the kernel's `\ooo` escapes (space, tab, newline, backslash) in a mountinfo field.
    static func decode(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
