import Synchronization

/// A push in progress: what the pre-receive hook needs to call paasd back, and the verdict that
/// rewrites git's report at the end.
final class PushSession: Sendable {
    let id: String
    /// One-time secret the hook presents; never logged.
    let secret: String
    let app: String
    let actor: String
    let repository: String
    private let rejection = Mutex<String?>(nil)

    init(app: String, actor: String, repository: String) {
        self.id = Self.randomHex(bytes: 16)
        self.secret = Self.randomHex(bytes: 32)
        self.app = app
        self.actor = actor
        self.repository = repository
    }

    /// Why the platform refused the push, once it has decided; nil while undecided or accepted.
    var rejectionReason: String? { rejection.withLock { $0 } }

    func reject(_ reason: String) { rejection.withLock { $0 = reason } }

    /// Compares `candidate` with the secret in time independent of where they differ.
    func accepts(secret candidate: String) -> Bool {
        let a = Array(secret.utf8), b = Array(candidate.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}

/// The pushes open right now, by id.
final class PushSessions: Sendable {
    private let sessions = Mutex<[String: PushSession]>([:])

    func open(app: String, actor: String, repository: String) -> PushSession {
        let session = PushSession(app: app, actor: actor, repository: repository)
        sessions.withLock { $0[session.id] = session }
        return session
    }

    func close(_ session: PushSession) {
        _ = sessions.withLock { $0.removeValue(forKey: session.id) }
    }

    func session(id: String) -> PushSession? {
        sessions.withLock { $0[id] }
    }
}
