// The host's mounts as this process sees them, from /proc/self/mountinfo.

/// The mount points of this process's mount namespace.
public enum MountTable {
    /// The mount points in a mountinfo text (field 5 of each line, octal escapes decoded).
    public static func mountPoints(in mountinfo: String) -> [String] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            return fields.count > 4 ? decode(fields[4]) : nil
        }
    }

    /// The mount points of this process's mount namespace; nil when mountinfo cannot be read.
    public static func current() -> [String]? {
        // Read to its end: mountinfo is longer than a page on a busy host.
        HostFiles.read("/proc/self/mountinfo").map(mountPoints(in:))
    }

    /// The mount points at `path` or below it, in mount order; nil when mountinfo cannot be read.
    public static func mountPoints(atOrUnder path: String) -> [String]? {
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
