/// How an app's processes are run, as the owner set it (`paas ps:set`, `paas ps:stop`); nil
/// values fall back to the platform's defaults.
public struct AppSettings: Sendable, Equatable, Codable {
    /// How long a new web process may take to accept TCP on `$PORT` (default 60 s).
    public var bootTimeoutSeconds: Int?
    /// SIGTERM → SIGKILL grace when a process stops (default 30 s).
    public var stopTimeoutSeconds: Int?
    /// `paas ps:stop`: no process runs until `paas ps:start`.
    public var stopped: Bool
    /// `paas domains:redirect-https on`: the router answers plain HTTP with a 301 to HTTPS.
    public var redirectHTTPS: Bool

    public init(bootTimeoutSeconds: Int? = nil, stopTimeoutSeconds: Int? = nil, stopped: Bool = false, redirectHTTPS: Bool = false) {
        self.bootTimeoutSeconds = bootTimeoutSeconds
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.stopped = stopped
        self.redirectHTTPS = redirectHTTPS
    }

    /// The range both timeouts may take, in seconds.
    public static let timeoutRange = 1...3600

    enum CodingKeys: String, CodingKey {
        case stopped
        case redirectHTTPS = "redirect_https"
        case bootTimeoutSeconds = "boot_timeout_seconds"
        case stopTimeoutSeconds = "stop_timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bootTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .bootTimeoutSeconds)
        stopTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .stopTimeoutSeconds)
        stopped = try container.decodeIfPresent(Bool.self, forKey: .stopped) ?? false
        redirectHTTPS = try container.decodeIfPresent(Bool.self, forKey: .redirectHTTPS) ?? false
    }
}

/// The memory a process type's processes may use (`paas ps:resize web --memory 1G`).
public enum ProcessMemory {
    /// The smallest and largest limits, in MiB.
    public static let rangeMiB = 64...65_536

    /// Parses `512M`, `1G`, `1.5G` or a plain number of MiB; nil when it is none of those.
    public static func mebibytes(from text: String) -> Int? {
        let trimmed = text.filter { !$0.isWhitespace }.uppercased()
        let (number, factor): (Substring, Double) =
            switch trimmed.last {
            case "G": (trimmed.dropLast(), 1024)
            case "M": (trimmed.dropLast(), 1)
            default: (Substring(trimmed), 1)
            }
        let digits = number.hasSuffix("I") ? number.dropLast() : number
        guard let value = Double(digits), value > 0 else { return nil }
        return Int((value * factor).rounded())
    }
}
