/// Every error of the container parts that build and run containers share: a stable `code`, a
/// short plain `message` saying what failed, and the underlying `cause`.
///
/// Messages never hold config var values. Callers with their own error type (the slugbuilder's
/// `BuildError`) map the codes at their edge.
public struct ContainerError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; see `ContainerError.Code`.
    public var code: String
    /// What failed, in a few plain words, e.g. "cannot unmount /x: Device or resource busy".
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

    /// The codes of the shared container parts.
    public enum Code {
        /// A slug or cache archive cannot be written or read (libarchive).
        public static let archiveFailed = "archive_failed"
        /// Reading, writing or removing files on the host failed (permissions, a full disk), or
        /// a mount could not be taken down.
        public static let ioFailed = "container_io_failed"
        /// The container could not be set up: its root filesystem, bundle or configuration.
        public static let setupFailed = "container_setup_failed"
        /// The OCI runtime (runc) failed or could not be started.
        public static let runtimeFailed = "container_runtime_failed"
        /// A slug could not be fetched from the blob store or prepared on this host.
        public static let slugUnavailable = "slug_unavailable"
    }
}

