#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on loopback, for servers whose URL must be known before they start.
public enum FreePort {
    /// A port that was free a moment ago. It is drawn below the kernel's ephemeral range
    /// (32768 and up on Linux), so outgoing connections of other tests cannot take it before
    /// the server binds it; only another listener can, and callers retry on that.
    public static func find() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20000..<32000)
            if try isFree(port) { return port }
        }
        throw TestFailure("Cannot find a free port between 20000 and 32000.")
    }

    private static func isFree(_ port: Int) throws -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw TestFailure("socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) == 0 }
        }
    }
}
