import PaasBlobs
import PaasCore

extension PushPipeline {
    /// The app's build cache for a build on its stack: none when the cache was made on another
    /// stack (its binaries were built against that stack's libraries), as Heroku purges the
    /// cache on a stack change.
    func cacheBlob(for app: App, transcript: Transcript) async throws -> BlobID? {
        guard let cache = try await store.buildCacheWithStack(of: app) else { return nil }
        guard cache.stack == app.stack else {
            transcript.say("-----> Stack changed from \(cache.stack) to \(app.stack): building without the previous build cache")
            return nil
        }
        return BlobID(sha256: cache.blob)
    }
}
