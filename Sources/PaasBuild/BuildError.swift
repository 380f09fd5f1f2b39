import PaasContainers

/// Every error of the slugbuilder: a stable `code`, a short plain `message` and the underlying
/// `cause`.
///
/// The message is what a pusher reads in `! [remote rejected] main -> main (build failed:
/// <message>)`, so it is one short clause without a trailing period; the details are in the
/// streamed build output. Messages never hold config var values.
public struct BuildError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; see `BuildError.Code`.
    public var code: String
    /// The reason in a few plain words, e.g. "no buildpack detected".
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

    /// The codes the slugbuilder throws.
    public enum Code {
        /// No built-in buildpack detected the app.
        public static let noBuildpack = "no_buildpack_detected"
        /// A buildpack named by `BUILDPACK_URL` or `.buildpacks` cannot be found or fetched.
        public static let buildpackUnavailable = "buildpack_unavailable"
        /// A buildpack's `bin/compile` (or `bin/detect`, `bin/release`) failed.
        public static let buildpackFailed = "buildpack_failed"
        /// The build container went over its memory limit.
        public static let outOfMemory = "build_out_of_memory"
        /// The build went over its time limit.
        public static let timedOut = "build_timed_out"
        /// The Procfile or a buildpack's release output cannot be read.
        public static let invalidProcessTypes = "invalid_process_types"
        /// The slug or cache archive cannot be written or read.
        public static let archiveFailed = "archive_failed"
        /// The build container could not be set up or run (the platform's fault, not the app's).
        public static let containerFailed = "build_container_failed"
        /// The slug could not be stored in the blob store.
        public static let storeFailed = "slug_store_failed"
        /// The packed slug is larger than the builder's `maxSlugSize`.
        public static let slugTooLarge = "slug_too_large"
        /// Reading or writing the build's files on the host failed (permissions, a full disk).
        public static let ioFailed = "build_io_failed"
        /// The source tree is not usable (missing directory, unreadable files).
        public static let invalidSource = "invalid_source"
        /// The build asks for a stack the platform does not have.
        public static let unknownStack = "unknown_stack"
    }
}

/// What a failed host program (git, cp) printed, as a `Sendable` cause; credentials removed.
struct ProgramFailure: Error, Sendable, CustomStringConvertible {
    var text: String
    var description: String { text }
}

extension BuildError {
    /// The build's error for a failure of the shared container parts (`PaasContainers`): the
    /// same message, the matching build code.
    init(_ error: ContainerError) {
        let code =
            switch error.code {
            case ContainerError.Code.archiveFailed: Code.archiveFailed
            case ContainerError.Code.ioFailed: Code.ioFailed
            default: Code.containerFailed
            }
        self.init(code: code, message: error.message, cause: error.cause)
    }

    /// `error` as a `BuildError` when it is a `ContainerError`, else `error` itself: what the
    /// slugbuilder's public functions throw.
    static func adopting(_ error: any Error) -> any Error {
        (error as? ContainerError).map(BuildError.init) ?? error
    }

    /// Runs `body`, turning a `ContainerError` it throws into a `BuildError`.
    static func adopting<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw adopting(error)
        }
    }
}
