// A warm build moves the cache its host kept instead of fetching and unpacking the blob.
import PaasBlobs
import PaasContainers
import PaasTesting
import Testing

@testable import PaasBuild

/// Real builds (runc on the build stack of PAAS_TEST_BUILD_STACK) whose buildpack counts its
/// builds in the cache.
@Suite(.tags(.large), .serialized)
struct KeptCachesTests {
    /// A buildpack that prints and bumps a counter kept in the cache ($2), "builds before: N",
    /// and stamps the cache with the time, so that no two builds leave the same cache.
    static func counter(_ harness: BuildHarness) throws -> String {
        try harness.buildpack(
            "counter",
            compile: """
                count=$(cat "$2/count" 2>/dev/null || echo 0)
                echo "-----> builds before: $count"
                echo $((count + 1)) > "$2/count"
                date +%s%N > "$2/stamp"
                """,
            release: "---\ndefault_process_types:\n  web: sleep infinity")
    }

    /// Builds an empty app with the counter buildpack on `cache`; returns the output and the result.
    static func build(_ harness: BuildHarness, cache: BlobID?, _ label: String) async throws -> (String, BuildResult) {
        let output = OutputLines()
        let result = try await harness.build(
            try await harness.source(nil, named: "src-\(label)"), id: uniqueBuildID(label),
            config: ["BUILDPACK_URL": try counter(harness)], cache: cache, output: output)
        return (await output.text, result)
    }

    func keptTrees(_ harness: BuildHarness) throws -> [String] {
        let directory = harness.configuration.workDirectory + "/.kept-caches"
        return TestFiles.exists(directory) ? try HostFiles.children(of: directory).sorted() : []
    }

    @Test func theNextBuildTakesTheKeptCacheEvenWithoutItsBlob() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let (_, first) = try await Self.build(harness, cache: nil, "first")
        let cache = try #require(first.cacheBlob)
        #expect(try keptTrees(harness) == ["sha256-" + cache.sha256])

        // With the blob gone from the store, only the kept tree can bring the count back.
        try HostFiles.remove(harness.root + "/blobs/" + cache.sha256)
        let (text, second) = try await Self.build(harness, cache: cache, "second")
        #expect(text.contains("-----> Restoring the build cache"), "\(text)")
        #expect(text.contains("-----> builds before: 1"), "\(text)")
        // Taken, not copied: only the new cache is kept.
        let newCache = try #require(second.cacheBlob)
        #expect(newCache != cache)
        #expect(try keptTrees(harness) == ["sha256-" + newCache.sha256])

        // The old cache is gone everywhere: a build that asks for it starts empty.
        let (again, _) = try await Self.build(harness, cache: cache, "third")
        #expect(again.contains("-----> The build cache could not be restored; building with an empty cache"), "\(again)")
        #expect(again.contains("-----> builds before: 0"), "\(again)")
    }

    @Test func beyondTheLimitTheOldestTreeGoesAndItsBlobIsFetched() async throws {
        var harness = try BuildHarness()
        defer { harness.remove() }
        harness.configuration.keptCaches = 1
        let (_, one) = try await Self.build(harness, cache: nil, "one")
        let (_, other) = try await Self.build(harness, cache: nil, "other")
        let oneCache = try #require(one.cacheBlob), otherCache = try #require(other.cacheBlob)
        #expect(try keptTrees(harness) == ["sha256-" + otherCache.sha256])

        // The evicted tree is not used: the cache comes from the blob store, as it would on
        // another host.
        let (text, _) = try await Self.build(harness, cache: oneCache, "one-again")
        #expect(text.contains("-----> Restoring the build cache"), "\(text)")
        #expect(text.contains("-----> builds before: 1"), "\(text)")
    }

    @Test func noTreeIsKeptWhenTheLimitIsZero() async throws {
        var harness = try BuildHarness()
        defer { harness.remove() }
        harness.configuration.keptCaches = 0
        let (_, first) = try await Self.build(harness, cache: nil, "first")
        #expect(first.cacheBlob != nil)
        #expect(try keptTrees(harness).isEmpty)
    }
}
