/// Every error of the blob stores: a stable `code`, a `message` that says what failed and what to
/// do, and the underlying `cause`. Messages name blobs, paths, URLs and buckets, never credentials.
public struct BlobError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; see `BlobError.Code`.
    public var code: String
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// Whether the same call may succeed later (network trouble, a server error).
    public var retryable: Bool
    /// The error that led to this one, if any.
    public var cause: (any Error & Sendable)?

    public init(code: String, message: String, retryable: Bool = false, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return "\(code): \(message)" }
        return "\(code): \(message) (cause: \(String(describing: cause)))"
    }

    /// The codes a blob store throws.
    public enum Code {
        /// No blob with that ID is stored.
        public static let notFound = "blob_not_found"
        /// The stored bytes do not hash to the blob's ID.
        public static let corrupt = "blob_corrupt"
        /// The store cannot be reached or answered with a server error; retrying may help.
        public static let unavailable = "blob_store_unavailable"
        /// The store refused the credentials (S3 keys, API token).
        public static let denied = "blob_store_denied"
        /// The store answered with an error this client does not expect (a missing bucket, say).
        public static let rejected = "blob_store_rejected"
        /// Reading or writing a local file failed (a missing source, a full disk, permissions).
        public static let ioFailed = "blob_io_failed"
        /// The store only reads (`HTTPBlobStore`).
        public static let readOnly = "read_only"
        /// A string that is not a blob ID (64 hexadecimal digits).
        public static let invalidID = "invalid_blob_id"
    }
}

extension BlobError {
    static func notFound(_ id: BlobID, in place: String) -> BlobError {
        BlobError(
            code: Code.notFound,
            message: "No blob \(id) in \(place). Check the ID, or store the blob first.")
    }

    static func corrupt(_ id: BlobID, actual: BlobID, in place: String) -> BlobError {
        BlobError(
            code: Code.corrupt,
            message: "Blob \(id) in \(place) is corrupt: its bytes hash to \(actual.sha256). "
                + "Delete it and store it again from its source (rebuild the app or re-push).")
    }

    static func io(_ action: String, path: String, cause: any Error & Sendable) -> BlobError {
        BlobError(
            code: Code.ioFailed,
            message: "Cannot \(action) '\(path)'. Check that it exists, that the disk has room, and the permissions.",
            cause: cause)
    }

    static func readOnly(_ operation: String, url: String) -> BlobError {
        BlobError(
            code: Code.readOnly,
            message: "The blob store at \(url) is read-only: it cannot \(operation). "
                + "Store and delete blobs on the controller's own store.")
    }
}

extension BlobError {
    /// Runs a network step; a failure to connect or to keep receiving becomes
    /// `blob_store_unavailable` (retryable) with `message`, a `BlobError` passes through.
    static func whileReaching<T>(_ message: String, _ step: () async throws -> T) async throws -> T {
        do {
            return try await step()
        } catch let error as BlobError {
            throw error
        } catch {
            throw BlobError(code: Code.unavailable, message: message, retryable: true, cause: error)
        }
    }
}
