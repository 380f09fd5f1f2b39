// Third-party buildpacks as they are published: many ship only bin/detect and bin/compile.
import PaasTesting
import Testing

@testable import PaasBuild

/// Real builds (runc on the build stack of PAAS_TEST_BUILD_STACK) with buildpacks whose
/// `bin/release` is missing or fails.
@Suite(.tags(.large), .serialized)
struct BuildpackReleaseTests {
    /// A buildpack with only `bin/detect` and `bin/compile` (`compile`: bash, $1 is BUILD_DIR).
    static func detectAndCompileOnly(_ harness: BuildHarness, _ name: String, compile: String) throws -> String {
        let path = harness.root + "/buildpacks/" + name
        try TestFiles.write("#!/bin/sh\necho \(name)\n", to: path + "/bin/detect", mode: 0o755)
        try TestFiles.write("#!/bin/bash\nset -euo pipefail\n\(compile)\n", to: path + "/bin/compile", mode: 0o755)
        return path
    }

    @Test func buildpackWithoutBinReleaseBuildsAndTheProcfileSaysWhatToRun() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let buildpack = try Self.detectAndCompileOnly(
            harness, "no-release", compile: "echo '-----> Compiling without a release'\necho built > \"$1/built.txt\"")
        let source = try await harness.source(nil)
        try TestFiles.write("web: cat built.txt\n", to: source + "/Procfile")
        let output = OutputLines()
        let id = uniqueBuildID("no-release")
        let result = try await harness.build(source, id: id, config: ["BUILDPACK_URL": buildpack], output: output)

        let text = await output.text
        #expect(result.buildpacks == [buildpack])
        #expect(result.processTypes == ["web": "cat built.txt"], "\(text)")
        #expect(text.contains("-----> no-release app detected\n-----> Compiling without a release"), "\(text)")
        #expect(!text.contains("status 127"), "\(text)")
        #expect(!text.contains("Default types for buildpack"), "\(text)")
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(TestFiles.read(slug + "/built.txt") == "built\n")
        try await harness.expectCleanedUp(id)
    }

    @Test func lastBuildpackWithoutBinReleaseKeepsTheDefaultsOfTheOneBefore() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let buildpack = try Self.detectAndCompileOnly(harness, "extras", compile: "touch \"$1/extras\"")
        let source = try await harness.source("static-public")
        try TestFiles.write("static\n\(buildpack)\n", to: source + "/.buildpacks")
        let output = OutputLines()
        let result = try await harness.build(source, id: uniqueBuildID("extras"), output: output)

        let text = await output.text
        #expect(result.buildpacks == ["static", buildpack])
        #expect(result.processTypes == ["web": "python3 .paas/static/server.py"], "\(text)")
        #expect(text.contains("       Default types for buildpack -> web"), "\(text)")
    }

    @Test func failingBinReleaseFailsTheBuildNamingTheBuildpack() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let buildpack = try Self.detectAndCompileOnly(harness, "bad-release", compile: "true")
        try TestFiles.write(
            "#!/bin/sh\necho 'release: cannot read the app' >&2\nexit 1\n", to: buildpack + "/bin/release", mode: 0o755)
        let output = OutputLines()
        let id = uniqueBuildID("bad-release")
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(
                try await harness.source(nil), id: id, config: ["BUILDPACK_URL": buildpack], output: output)
        }
        #expect(error.code == BuildError.Code.buildpackFailed)
        #expect(error.message == "bin/release of \(buildpack) exited with status 1")
        let text = await output.text
        #expect(text.contains("release: cannot read the app\n !     bin/release of \(buildpack) failed with status 1"), "\(text)")
        try await harness.expectCleanedUp(id)
    }

    @Test func binReleaseThatIsNotExecutableSaysSo() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let buildpack = try Self.detectAndCompileOnly(harness, "plain-release", compile: "true")
        try TestFiles.write("#!/bin/sh\necho '--- {}'\n", to: buildpack + "/bin/release", mode: 0o644)
        let output = OutputLines()
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(
                try await harness.source(nil), id: uniqueBuildID("plain-release"), config: ["BUILDPACK_URL": buildpack],
                output: output)
        }
        #expect(error.code == BuildError.Code.buildpackFailed)
        #expect(error.message == "bin/release of \(buildpack) exited with status 126")
        #expect(await output.text.contains(" !     bin/release of \(buildpack) is not executable."))
    }
}
