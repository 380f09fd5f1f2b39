import NIOCore
import NIOHTTP1

/// One client request from head to the end of its response: where it went and how it ended,
/// for balancing, retries, the access log and metrics.
final class ProxiedRequest {
    let head: HTTPRequestHead
    let requestID: String
    let start: NIODeadline
    let host: String
    var app = "-"
    /// The candidates for retries.
    var backends: AppBackends?
    /// The backend the request is counted on now.
    var backend: BackendState?
    var tried: [BackendState] = []
    var connectedAt: NIODeadline?
    /// Parts read from the client before a backend connection was ready.
    var buffered: [HTTPClientRequestPart] = []
    var bodyBytes = 0
    var requestEnded = false
    /// Whether the request went out on a pooled connection (which may have been closed by the
    /// backend meanwhile, so a bodyless request is worth one replay).
    var onReusedConnection = false
    var replays = 0
    var isUpgrade = false
    var responseStarted = false
    var status = 0
    var responseBytes = 0
    /// Heroku-style error code and description for the app's log (`H12` …).
    var error: (code: String, description: String)?
    /// Whether the access log and metrics have it already.
    var recorded = false

    init(head: HTTPRequestHead, requestID: String, host: String, start: NIODeadline) {
        self.head = head
        self.requestID = requestID
        self.host = host
        self.start = start
    }

    /// Stops counting the request against its backend.
    func leaveBackend() {
        backend?.requestFinished()
        backend = nil
    }
}
