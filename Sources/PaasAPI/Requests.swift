/// Body of `PATCH /v1/apps/{app}/config-vars`: a value sets a var, `null` unsets it.
public typealias ConfigVarsUpdate = [String: String?]

/// Body of `PATCH /v1/apps/{app}/formation`: process type → quantity, e.g. `{"web": 2}`.
public typealias FormationUpdate = [String: Int]

/// Body of `PATCH /v1/apps/{app}`: the settings to change; absent ones stay as they are.
public struct AppUpdateRequest: Codable, Sendable, Equatable {
    public var bootTimeoutSeconds: Int?
    public var stopTimeoutSeconds: Int?
    /// `true` stops every process of the app (`ps:stop`); `false` runs them again (`ps:start`).
    public var stopped: Bool?
    /// Answer plain HTTP with a 301 to HTTPS (`domains:redirect-https on`).
    public var redirectHTTPS: Bool?
    /// The stack the app's next build uses (`stack:set`).
    public var stack: String?

    public init(
        bootTimeoutSeconds: Int? = nil, stopTimeoutSeconds: Int? = nil, stopped: Bool? = nil, redirectHTTPS: Bool? = nil,
        stack: String? = nil
    ) {
        self.stack = stack
        self.bootTimeoutSeconds = bootTimeoutSeconds
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.stopped = stopped
        self.redirectHTTPS = redirectHTTPS
    }

    enum CodingKeys: String, CodingKey {
        case stopped, stack
        case redirectHTTPS = "redirect_https"
        case bootTimeoutSeconds = "boot_timeout_seconds"
        case stopTimeoutSeconds = "stop_timeout_seconds"
    }
}

/// Body of `PATCH /v1/apps/{app}/formation/{type}` (`ps:resize`).
public struct FormationResizeRequest: Codable, Sendable, Equatable {
    /// Memory limit of each process of the type, in MiB.
    public var memoryMiB: Int

    public init(memoryMiB: Int) { self.memoryMiB = memoryMiB }

    enum CodingKeys: String, CodingKey {
        case memoryMiB = "memory_mib"
    }
}

/// Body of `POST /v1/apps/{app}/certs`: a certificate (with its chain) and its private key, PEM.
public struct CertificateCreateRequest: Codable, Sendable, Equatable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    enum CodingKeys: String, CodingKey {
        case certificatePEM = "certificate_pem"
        case privateKeyPEM = "private_key_pem"
    }
}
