import NIOCore
import PaasAPI
import Synchronization

/// One web process as the balancer tracks it: its address, requests in flight, and whether it
/// recently refused a connection.
///
/// The same object is kept across route-table updates while the backend stays in the table, so
/// its counters survive; a removed backend's object lives on until its last request finishes.
final class BackendState: Sendable {
    /// The process name, e.g. `web.1`, for access logs.
    let process: String
    /// Pool key: where to connect.
    let key: BackendKey
    /// The resolved address.
    let address: SocketAddress
    private let outstanding = Atomic<Int>(0)
    /// Uptime nanoseconds until which the backend is skipped.
    private let refusedUntil = Atomic<Int64>(0)

    init(_ resource: RouteBackendResource) throws {
        self.process = resource.process
        self.key = BackendKey(host: resource.host, port: resource.port)
        self.address = try SocketAddress.makeAddressResolvingHost(resource.host, port: resource.port)
    }

    /// Requests currently sent to this backend and not finished.
    var outstandingRequests: Int { outstanding.load(ordering: .relaxed) }

    func requestStarted() { outstanding.wrappingAdd(1, ordering: .relaxed) }
    func requestFinished() { outstanding.wrappingSubtract(1, ordering: .relaxed) }

    /// Skips this backend in selection for `pause`.
    func markRefused(for pause: TimeAmount) {
        refusedUntil.store(NIODeadline.now().uptimeNanoseconds.toInt64 + pause.nanoseconds, ordering: .relaxed)
    }

    /// Whether the backend refused a connection within its pause.
    func isRefused(now: NIODeadline) -> Bool {
        now.uptimeNanoseconds.toInt64 < refusedUntil.load(ordering: .relaxed)
    }
}

/// Where a backend listens; identifies its keep-alive pool.
struct BackendKey: Hashable, Sendable {
    var host: String
    var port: Int
}

extension UInt64 {
    fileprivate var toInt64: Int64 { Int64(clamping: self) }
}
