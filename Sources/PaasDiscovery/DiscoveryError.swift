/// Every error of DNS discovery: a stable `code`, a `message` that says what failed and what to do,
/// and the underlying `cause`.
public struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; see `DiscoveryError.Code`.
    public var code: String
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// The error that led to this one, if any.
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

    /// The codes discovery throws.
    public enum Code {
        /// Bytes that are not a well-formed DNS message.
        public static let malformedMessage = "dns_malformed_message"
        /// A name that DNS cannot carry (a label over 63 bytes, a name over 255).
        public static let invalidName = "dns_invalid_name"
        /// The server cannot listen on its address (port in use, no permission, unknown address).
        public static let bindFailed = "dns_bind_failed"
        /// An upstream resolver that is not `host` or `host:port`.
        public static let invalidUpstream = "dns_invalid_upstream"
    }
}

extension DiscoveryError {
    static func malformed(_ what: String, at offset: Int) -> DiscoveryError {
        DiscoveryError(
            code: Code.malformedMessage,
            message: "The DNS message is malformed: \(what) at byte \(offset). Send a message that follows RFC 1035.")
    }

    static func invalidName(_ name: String, _ why: String) -> DiscoveryError {
        DiscoveryError(
            code: Code.invalidName,
            message: "'\(name)' is not a valid DNS name: \(why). Use labels of 1 to 63 bytes, 255 bytes in all.")
    }

    static func bindFailed(_ transport: String, host: String, port: Int, cause: any Error & Sendable) -> DiscoveryError {
        DiscoveryError(
            code: Code.bindFailed,
            message: "Cannot listen for DNS over \(transport) on \(host):\(port). Check that no other DNS server "
                + "(systemd-resolved, dnsmasq) uses the port, that the address exists on this host, "
                + "and that the process may bind ports below 1024 (CAP_NET_BIND_SERVICE).",
            cause: cause)
    }

    static func invalidUpstream(_ upstream: String, cause: (any Error & Sendable)? = nil) -> DiscoveryError {
        DiscoveryError(
            code: Code.invalidUpstream,
            message: "'\(upstream)' is not an upstream resolver. Give an IP address, optionally with a port: "
                + "'10.0.0.2', '10.0.0.2:53', '[2001:db8::1]:53'.",
            cause: cause)
    }
}
