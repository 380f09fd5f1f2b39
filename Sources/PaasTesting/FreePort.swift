#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Free TCP ports on loopback, for servers whose URL must be known before they start.
///
/// Both ranges here are below the kernel's ephemeral range (32768 and up on Linux), so outgoing
/// connections of other tests cannot take a port before its server binds it; only another
/// listener can, and callers retry on that. They are disjoint, so that a port `find()` hands out
/// is never one a probing server (a Redis add-on) takes at the same moment.
///
/// `find()` never hands out a port twice in one test process: a server may bind its port long
/// after the pick (an add-on server starts on the first add-on), and in between another test's
/// pick would find it free too.
public enum FreePort {
    /// Where `find()` draws from.
    public static let range = 20000..<27000
    /// For servers of the tests that pick their own port by probing a range (Redis add-ons);
    /// `find()` never draws from it.
    public static let probingServers = 27000..<32000

    /// The ports `find()` handed out so far.
    private static let handedOut = Mutex<Set<Int>>([])

    /// A port that was free a moment ago and was not handed out before, from `range`.
    public static func find() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: range)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if isFree(port) { return port }
        }
        throw TestFailure("Cannot find a free port between \(range.lowerBound) and \(range.upperBound).")
    }

    private static func isFree(_ port: Int) -> Bool {
        guard let descriptor = bind(port) else { return false }
        close(descriptor)
        return true
    }

    /// A TCP socket bound (not listening) to `port` on 127.0.0.1, or nil when the port is
    /// taken; the caller closes it. Holds a port that looks free to a connecting probe.
    public static func bind(_ port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) == 0 }
        }
        if bound { return descriptor }
        close(descriptor)
        return nil
    }
}
