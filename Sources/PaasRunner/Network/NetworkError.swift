/// Every error of the container network: a stable `code`, a message that says what failed and
/// what to do, and the underlying `cause`.
public struct NetworkError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; see `NetworkError.Code`.
    public var code: String
    /// What failed and what to do about it.
    public var message: String
    /// The error that led to this one, if any (for a failed program: what it printed).
    public var cause: (any Error & Sendable)?

    public init(code: String, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return "\(code): \(message)" }
        return "\(code): \(message) (cause: \(String(describing: cause)))"
    }

    /// The codes the container network throws.
    public enum Code {
        /// A setting of `NetworkConfiguration` (subnet, bridge, table or prefix name, MTU) is invalid.
        public static let invalidConfiguration = "network_invalid_configuration"
        /// Every container address of the subnet is in use.
        public static let addressesExhausted = "network_addresses_exhausted"
        /// A container id cannot be used in a network namespace name.
        public static let invalidContainerID = "network_invalid_container_id"
        /// The container already has a network namespace.
        public static let namespaceExists = "network_namespace_exists"
        /// The bridge does not exist: the host network was not prepared.
        public static let bridgeMissing = "network_bridge_missing"
        /// A program the network needs (`ip`, `nft`) is not installed.
        public static let toolMissing = "network_tool_missing"
        /// `ip` or `nft` failed.
        public static let commandFailed = "network_command_failed"
        /// A kernel setting under /proc/sys could not be written.
        public static let sysctlFailed = "network_sysctl_failed"
    }
}

/// What a failed program printed, as a `Sendable` cause.
struct ProgramOutput: Error, Sendable, CustomStringConvertible {
    var text: String
    var description: String { text }
}
