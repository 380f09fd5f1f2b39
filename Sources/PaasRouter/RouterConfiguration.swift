/// Where the router listens and the limits it enforces on every request.
///
/// Every setting has a default suited to production; tests bind port 0 and shorten timeouts.
public struct RouterConfiguration: Sendable {
    /// The address the HTTP and HTTPS listeners bind. Default `0.0.0.0`.
    public var host: String
    /// Plain HTTP port. Default 8080; 0 picks a free port (see ``Router/boundPorts()``).
    public var httpPort: Int
    /// HTTPS port (TLS with SNI, HTTP/2 by ALPN), or `nil` for no HTTPS listener. Default 8443.
    public var httpsPort: Int?
    /// The HTTPS port clients use, for `redirectHTTPS` answers. Default: the bound HTTPS port
    /// (443 is left out of the URL).
    public var publicHTTPSPort: Int?
    /// The admin listener's address (`GET /healthz`, `GET /metrics`). Default `127.0.0.1`.
    public var adminHost: String
    /// The admin listener's port, or `nil` for none. Default 5300.
    public var adminPort: Int?
    /// Larger request bodies get a 413. Default 100 MiB.
    public var maxRequestBodyBytes: Int
    /// A larger request line plus headers gets a 431. Default 8 KiB.
    public var maxHeaderBytes: Int
    /// A backend that has not started its response this long after the request was sent gets
    /// the client a 504. Default 30 s.
    public var firstByteTimeout: Duration
    /// A new client connection must send a complete request head within this time, or it is
    /// answered 408 and closed. Default 10 s.
    public var headerReadTimeout: Duration
    /// A keep-alive client connection with no request in flight is closed after this. Default 60 s.
    public var clientIdleTimeout: Duration
    /// A pooled backend connection unused this long is closed. Default 30 s.
    public var backendIdleTimeout: Duration
    /// How long a backend connection attempt may take. Default 5 s.
    public var backendConnectTimeout: Duration
    /// A backend that refused a connection is skipped for this long (unless all are). Default 5 s.
    public var refusedBackendPause: Duration
    /// Idle keep-alive connections kept per backend and event loop. Default 64.
    public var maxIdleConnectionsPerBackend: Int
    /// After shutdown starts, in-flight requests get this long to finish. Default 10 s.
    public var drainTimeout: Duration

    /// A configuration with the documented defaults.
    public init(
        host: String = "0.0.0.0",
        httpPort: Int = 8080,
        httpsPort: Int? = 8443,
        publicHTTPSPort: Int? = nil,
        adminHost: String = "127.0.0.1",
        adminPort: Int? = 5300,
        maxRequestBodyBytes: Int = 100 * 1024 * 1024,
        maxHeaderBytes: Int = 8 * 1024,
        firstByteTimeout: Duration = .seconds(30),
        headerReadTimeout: Duration = .seconds(10),
        clientIdleTimeout: Duration = .seconds(60),
        backendIdleTimeout: Duration = .seconds(30),
        backendConnectTimeout: Duration = .seconds(5),
        refusedBackendPause: Duration = .seconds(5),
        maxIdleConnectionsPerBackend: Int = 64,
        drainTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.httpPort = httpPort
        self.httpsPort = httpsPort
        self.publicHTTPSPort = publicHTTPSPort
        self.adminHost = adminHost
        self.adminPort = adminPort
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.firstByteTimeout = firstByteTimeout
        self.headerReadTimeout = headerReadTimeout
        self.clientIdleTimeout = clientIdleTimeout
        self.backendIdleTimeout = backendIdleTimeout
        self.backendConnectTimeout = backendConnectTimeout
        self.refusedBackendPause = refusedBackendPause
        self.maxIdleConnectionsPerBackend = maxIdleConnectionsPerBackend
        self.drainTimeout = drainTimeout
    }
}
