import PaasBlobs

/// What to build: one pushed commit of one app.
public struct BuildRequest: Sendable {
    /// Unique per build; names the build's container, cgroup and work directory, so it may
    /// hold only letters, digits, `.`, `_` and `-` (a UUID is fine).
    public var buildID: String
    /// The app being built, for logs.
    public var appName: String
    /// The exported commit (no `.git`). The builder moves it away, changes its owner and deletes it.
    public var sourceDirectory: String
    /// The app's config vars, given to the buildpacks as an env dir. Never logged.
    public var config: [String: String]
    /// The build cache of the app's previous build, if any.
    public var cacheBlob: BlobID?
    /// The stack to build on (the app's); nil builds on the builder's default stack.
    public var stack: String?

    public init(
        buildID: String, appName: String, sourceDirectory: String, config: [String: String], cacheBlob: BlobID? = nil,
        stack: String? = nil
    ) {
        self.stack = stack
        self.buildID = buildID
        self.appName = appName
        self.sourceDirectory = sourceDirectory
        self.config = config
        self.cacheBlob = cacheBlob
    }
}
