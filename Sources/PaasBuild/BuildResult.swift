import PaasBlobs

/// What a successful build produced.
public struct BuildResult: Sendable, Equatable {
    /// The slug (gzip tar, the app under `./app/`) in the blob store.
    public var slug: BlobID
    /// The slug's size in bytes.
    public var slugSize: Int64
    /// Process type → command: the Procfile over the last buildpack's defaults.
    public var processTypes: [String: String]
    /// The buildpacks that ran, in order: built-in names (`python`), paths or URLs (without
    /// credentials, with `#ref`).
    public var buildpacks: [String]
    /// The build cache to hand to the app's next build; nil when the cache was empty or could
    /// not be stored.
    public var cacheBlob: BlobID?
    /// The stack the slug was built on (and must run on), e.g. `bookworm`.
    public var stack: String
    /// How long each stage of the build took.
    public var timings = BuildTimings()

    public init(
        slug: BlobID, slugSize: Int64, processTypes: [String: String], buildpacks: [String], cacheBlob: BlobID?,
        stack: String
    ) {
        self.slug = slug
        self.slugSize = slugSize
        self.processTypes = processTypes
        self.buildpacks = buildpacks
        self.cacheBlob = cacheBlob
        self.stack = stack
    }
}
