import PaasTesting
import Testing

@testable import PaasBuild

@Suite(.tags(.small))
struct SlugIgnoreTests {
    let ignore = SlugIgnore(
        """
        # design files
        *.psd
        /docs
        tmp/
        assets/**/*.map
        spec/fixtures
        """)

    @Test(arguments: [
        ("logo.psd", false, true),
        ("art/deep/logo.psd", false, true),
        ("docs", true, true),
        ("src/docs", true, false),
        ("tmp", true, true),
        ("lib/tmp", true, true),
        ("tmp", false, false),
        ("assets/app.js.map", false, true),
        ("assets/js/vendor/app.js.map", false, true),
        ("assets/app.js", false, false),
        ("spec/fixtures", true, true),
        ("lib/spec/fixtures", true, false),
        ("README.md", false, false),
    ])
    func patternsMatchLikeGitignore(path: String, isDirectory: Bool, matched: Bool) {
        #expect(ignore.matches(path, isDirectory: isDirectory) == matched)
    }

    @Test func commentsAndBlankLinesAreNoPatterns() {
        #expect(SlugIgnore("# only a comment\n\n   \n").isEmpty)
    }

    @Test func applyDeletesMatchedFilesAndDirectories() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slugignore")
        defer { TemporaryDirectory.remove(root) }
        for file in ["keep.txt", "logo.psd", "docs/a.md", "src/docs/b.md", "src/x.psd", "lib/tmp/c"] {
            try TestFiles.write("x", to: root + "/" + file)
        }
        let removed = try ignore.apply(to: root)
        #expect(removed == ["docs", "lib/tmp", "logo.psd", "src/x.psd"])
        #expect(TestFiles.exists(root + "/keep.txt"))
        #expect(TestFiles.exists(root + "/src/docs/b.md"))
        #expect(!TestFiles.exists(root + "/docs"))
        #expect(!TestFiles.exists(root + "/lib/tmp"))
        #expect(TestFiles.exists(root + "/lib"))
    }
}
