/// Every error of the runner: a stable code, a message that says what went wrong and what to do,
/// the HTTP status its API answers with, and the cause when there is one. Never holds config var
/// values.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, which decides the API's status.
    public enum Kind: Sendable {
        /// The request names something the runner does not have (404).
        case notFound
        /// The request is not valid (422).
        case invalid
        /// Anything else (500).
        case failed
    }

    public var code: String
    public var message: String
    public var kind: Kind
    public var cause: (any Error & Sendable)?

    public init(code: String, message: String, kind: Kind = .failed, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.kind = kind
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return "\(code): \(message)" }
        return "\(code): \(message) (cause: \(cause))"
    }
}

extension RunnerError {
    /// The codes of the container network; the runner's own are spelled out where thrown.
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
