import PaasTesting
import Testing

@testable import PaasBuild

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.small))
struct BuildTimingsTests {
    @Test func summaryListsStagesInOrderWithTwoDecimals() {
        var timings = BuildTimings()
        timings.record("export", .milliseconds(31))
        timings.record("python compile", .milliseconds(1_205))
        timings.record("cache unchanged", .zero)
        timings.record("clock went back", .milliseconds(-5))
        #expect(timings.summary == "export 0.03 s, python compile 1.21 s, cache unchanged 0.00 s, clock went back 0.00 s")
        #expect(BuildTimings.seconds(timings.total) == "1.24")
        #expect(BuildTimings.seconds(.seconds(12) + .milliseconds(5)) == "12.01")
    }

    @Test func stageNamesOfBuildpacksAreShort() {
        #expect(BuildRun.stageName("python") == "python")
        #expect(BuildRun.stageName("https://example.com/org/heroku-buildpack-ruby.git#v2") == "heroku-buildpack-ruby")
        #expect(BuildRun.stageName("/srv/buildpacks/Custom") == "custom")
    }

    @Test func cacheManifestSeesEveryKindOfChange() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-cache-manifest")
        defer { TemporaryDirectory.remove(root) }
        try TestFiles.write("wheel", to: root + "/pip/a.whl")
        try TestFiles.write("venv", to: root + "/python/venv/bin/python")
        symlink("/usr/bin/python3", root + "/python/venv/bin/python3")
        let restored = try #require(CacheManifest.of(root))
        #expect(CacheManifest.of(root) == restored)

        // Rewritten with the same size and content, a file is still a change (its mtime moves).
        var later = [timespec(tv_sec: 1_700_000_000, tv_nsec: 1), timespec(tv_sec: 1_700_000_000, tv_nsec: 1)]
        utimensat(AT_FDCWD, root + "/pip/a.whl", &later, 0)
        #expect(CacheManifest.of(root) != restored)
        let touched = try #require(CacheManifest.of(root))

        try TestFiles.write("new", to: root + "/pip/b.whl")
        #expect(CacheManifest.of(root) != touched)
        unlink(root + "/pip/b.whl")
        // Added and removed again: the directory itself changed, which counts (cheap to be wrong this way).
        #expect(CacheManifest.of(root) != touched)
        let settled = try #require(CacheManifest.of(root))

        // A file replaced by another (rm + cp, as a buildpack refreshing its cache does).
        unlink(root + "/python/venv/bin/python3")
        symlink("/usr/bin/python3", root + "/python/venv/bin/python3")
        #expect(CacheManifest.of(root) != settled)
        #expect(CacheManifest.of(root + "/missing") == nil)
    }
}
