#if canImport(Glibc)
import Glibc
#endif

/// The `nameserver` lines of a resolv.conf(5) file: the host's own resolvers.
enum ResolvConf {
    /// The nameserver addresses in `text`, in order.
    static func nameservers(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            // A scoped IPv6 address (`fe80::1%eth0`) keeps its zone; SocketAddress accepts it.
            return String(fields[1])
        }
    }

    /// The nameservers of the file at `path`; none if it cannot be read.
    static func nameservers(atPath path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            text += String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nameservers(in: text)
    }
}
