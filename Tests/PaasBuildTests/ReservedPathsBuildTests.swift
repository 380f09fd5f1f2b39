// Apps whose files carry the names the built-in buildpacks use for their own files.
import PaasTesting
import Testing

@testable import PaasBuild

/// Real builds (runc on the build stack of PAAS_TEST_BUILD_STACK).
@Suite(.tags(.large), .serialized)
struct ReservedPathsBuildTests {
    @Test func staticSiteWithDokkusMarkerFileAndAReservedNameBuilds() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let source = try await harness.source(nil)
        try TestFiles.write("<p>marked</p>\n", to: source + "/about.html")
        try TestFiles.write("", to: source + "/.static")
        try TestFiles.write("the app's own\n", to: source + "/.paas")
        let output = OutputLines()
        let id = uniqueBuildID("marker")
        let result = try await harness.build(source, id: id, output: output)

        let text = await output.text
        #expect(result.buildpacks == ["static"], "\(text)")
        #expect(result.processTypes == ["web": "python3 .paas/static/server.py"])
        #expect(text.contains("       The app is marked static by its .static file"), "\(text)")
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(TestFiles.read(slug + "/.static") == "")
        #expect(TestFiles.exists(slug + "/.paas/static/server.py"))
        #expect(TestFiles.read(slug + "/about.html") == "<p>marked</p>\n")
        try await harness.expectCleanedUp(id)
    }
}
