#if canImport(Glibc)
import Glibc
#endif

/// Whether something accepts TCP connections at an address: how a deploy learns that a web
/// process is ready. Never blocks a thread: the connection is made non-blocking
/// and polled between short sleeps, so probes cannot starve the cooperative thread pool.
enum PortProbe {
    /// Tries one TCP connection to `address:port` (IPv4) for up to `timeout`, closing it at once.
    static func accepts(address: String, port: Int, timeout: Duration = .seconds(1)) async -> Bool {
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return false }
        let descriptor = socket(
            AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
                return error == 0
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
