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

    public init(bootTimeoutSeconds: Int? = nil, stopTimeoutSeconds: Int? = nil, stopped: Bool? = nil) {
        self.bootTimeoutSeconds = bootTimeoutSeconds
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.stopped = stopped
    }

    enum CodingKeys: String, CodingKey {
        case stopped
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
