import NIOCore
import Synchronization

/// An app's backends and the choice among them: round robin, where the backend with the fewest
/// outstanding requests wins and ties go to the next one in turn. Backends that refused a
/// connection recently are skipped unless every candidate did.
final class AppBackends: Sendable {
    let backends: [BackendState]
    private let nextIndex = Atomic<Int>(0)

    init(_ backends: [BackendState]) {
        self.backends = backends
    }

    var isEmpty: Bool { backends.isEmpty }

    /// Picks a backend not in `tried` and counts a request on it, or `nil` when none is left.
    func select(excluding tried: [BackendState]) -> BackendState? {
        let count = backends.count
        guard count > 0 else { return nil }
        let start = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        let now = NIODeadline.now()
        var best: BackendState?
        var bestRefused = true
        for offset in 0..<count {
            let candidate = backends[Int(UInt(bitPattern: start &+ offset) % UInt(count))]
            if tried.contains(where: { $0 === candidate }) { continue }
            let refused = candidate.isRefused(now: now)
            guard let current = best else {
                best = candidate
                bestRefused = refused
                continue
            }
            if bestRefused && !refused
                || bestRefused == refused && candidate.outstandingRequests < current.outstandingRequests
            {
                best = candidate
                bestRefused = refused
            }
        }
        best?.requestStarted()
        return best
    }
}
