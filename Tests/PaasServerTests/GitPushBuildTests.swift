// `git push` to a real platform: git over smart HTTP, a build in a runc container on the build
// stack with the built-in buildpacks, the slug in the blob store, a new release.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct GitPushBuildTests {
    @Test func staticSitePushBuildsASlugAndReleasesIt() async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(copying: "buildpacks/test/fixtures/static-public")
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            let commit = try await tree.revision()
            #expect(push.stderr.contains("remote: -----> Building demo from commit \(commit.prefix(7)) (build 1)"))
            #expect(push.stderr.contains("remote:        Released v2"))
            #expect(push.stderr.contains("remote:        http://demo.localhost:8080/ deployed to paas"))
            // The platform says where the time went: the build's stages, then the deploy's.
            let took = push.stderr.split(separator: "\n").first { $0.contains("-----> Build took ") }.map(String.init) ?? ""
            for stage in ["export", "cache restore", "container start", "static compile", "slug pack", "slug store", "release"] {
                #expect(took.contains(" \(stage) "), "\(stage) in: \(took)")
            }
            // This sandbox has no runner host: the deploy only records the release, so no stages.
            #expect(push.stderr.contains(try Regex(#"Released v2 in [0-9.]+ s"#)), "\(push.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 2)
            #expect(release.description == "Deploy \(commit.prefix(7))")
            #expect(release.processTypes["web"] != nil)
            let slug = try await sandbox.slugContents(try #require(release.slugID))
            #expect(FileManager.default.fileExists(atPath: slug + "/app/public/index.html"))
            #expect(!FileManager.default.fileExists(atPath: slug + "/app/.git"))
            let builds = try await sandbox.client.builds(app: "demo")
            #expect(builds.map(\.status) == ["succeeded"])
            #expect(builds.first?.releaseVersion == 2)
            #expect(builds.first?.commit == commit)
            #expect(builds.first?.slugID == release.slugID)
        }
    }

    @Test func pythonAppGetsItsRequirementsAndTheCacheIsReusedNextTime() async throws {
        // With a runner on the host: builds reach PyPI through its network (bridge, NAT, DNS).
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let tree = try await sandbox.workTree(copying: "buildpacks/test/fixtures/python-requirements")
            // Deployed, so it serves: six's version on $PORT.
            try await tree.commit(["app.py": Self.sixServer("first")], message: "serve")
            let first = try await sandbox.push(tree)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("-----> Python app detected"), "\(first.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 2)
            let slug = try await sandbox.slugContents(try #require(release.slugID))
            #expect(FileManager.default.fileExists(atPath: slug + "/app/.venv/lib/python3.11/site-packages/six.py"))

            try await tree.commit(["app.py": Self.sixServer("second")], message: "second")
            let second = try await sandbox.push(tree)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("Reusing the virtualenv from the build cache"), "\(second.stderr)")
            #expect(second.stderr.contains("Dependencies unchanged: pip not run"), "\(second.stderr)")
            #expect(second.stderr.contains("cache unchanged 0.00 s"), "the cache was packed again: \(second.stderr)")
            #expect(try await sandbox.client.releases(app: "demo").first?.version == 3)
        }
    }

    /// A web app that answers `<text> six <version>`; a plain TCPServer, which looks up no name at start.
    static func sixServer(_ text: String) -> String {
        """
        import http.server, os, socketserver, six
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = ("\(text) six %s\\n" % six.__version__).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()

        """
    }

    @Test(arguments: [
        ("buildpacks/test/fixtures/nodejs-start", "app/server.js", "web"),
        ("buildpacks/test/fixtures/go-hello", "app/bin/hello", "web"),
    ])
    func nodeAndGoAppsBuild(fixture: String, expectedFile: String, processType: String) async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(copying: fixture)
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 2)
            #expect(release.processTypes[processType] != nil, "\(release.processTypes)")
            let slug = try await sandbox.slugContents(try #require(release.slugID))
            #expect(FileManager.default.fileExists(atPath: slug + "/" + expectedFile))
        }
    }

    @Test func procfileOnlyAppsTakeTheirTypesFromTheProcfileAndHonourSlugignore() async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(files: [
                "Procfile": "web: ./serve.sh\nworker: ./work.sh\n",
                "serve.sh": "#!/bin/sh\nexec sleep 1000\n",
                "work.sh": "#!/bin/sh\nexec sleep 1000\n",
                ".slugignore": "# kept out of the slug\n*.psd\n/docs\n",
                "design.psd": "big\n",
                "docs/guide.md": "# guide\n",
                "lib/docs/keep.txt": "a nested docs folder stays\n",
            ])
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 2)
            #expect(release.processTypes == ["web": "./serve.sh", "worker": "./work.sh"])
            let slug = try await sandbox.slugContents(try #require(release.slugID))
            #expect(FileManager.default.fileExists(atPath: slug + "/app/serve.sh"))
            #expect(FileManager.default.fileExists(atPath: slug + "/app/lib/docs/keep.txt"))
            #expect(!FileManager.default.fileExists(atPath: slug + "/app/design.psd"))
            #expect(!FileManager.default.fileExists(atPath: slug + "/app/docs"))
        }
    }

    @Test func multiBuildpackAppsRunEveryBuildpackInOrder() async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(files: [
                ".buildpacks": "nodejs\npython\n",
                "package.json": #"{"name":"multi","version":"1.0.0","scripts":{"start":"node server.js"}}"#,
                "server.js": "console.log('hi')\n",
                "requirements.txt": "",
                "Procfile": "web: node server.js\nworker: python -c 'import time; time.sleep(1000)'\n",
            ])
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            let node = try #require(push.stderr.range(of: "Node.js app detected"), "\(push.stderr)")
            let python = try #require(push.stderr.range(of: "Python app detected"), "\(push.stderr)")
            #expect(node.lowerBound < python.lowerBound, "buildpacks run in the order of .buildpacks")
            let slug = try await sandbox.slugContents(try #require(try await sandbox.client.release(app: "demo", version: 2).slugID))
            #expect(FileManager.default.fileExists(atPath: slug + "/app/.venv/bin/python"))
            #expect(try await sandbox.client.builds(app: "demo").first?.buildpacks == ["nodejs", "python"])
        }
    }

    @Test func aThirdPartyBuildpackFromBUILDPACK_URLIsClonedAndUsed() async throws {
        try await PushSandbox.withRunning { sandbox in
            try await sandbox.useThirdPartyBuildpack(
                named: "Hello",
                compile: "echo '-----> Greeting the app'\necho \"hello from a buildpack\" > \"$1/greeting.txt\"",
                release: "printf -- '---\\ndefault_process_types:\\n  web: cat greeting.txt\\n'")
            let tree = try await sandbox.workTree(files: ["README": "nothing any built-in buildpack knows\n"])
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stderr.contains("-----> Hello app detected"), "\(push.stderr)")
            #expect(push.stderr.contains("-----> Greeting the app"))
            let release = try await sandbox.client.releases(app: "demo").first
            #expect(release?.processTypes == ["web": "cat greeting.txt"])
            let slug = try await sandbox.slugContents(try #require(release?.slugID))
            #expect(try String(contentsOfFile: slug + "/app/greeting.txt", encoding: .utf8) == "hello from a buildpack\n")
        }
    }

    @Test func aClassicExportFileOfOneBuildpackReachesTheNext() async throws {
        try await PushSandbox.withRunning { sandbox in
            let first = try await sandbox.makeBuildpack(
                named: "First", compile: #"echo 'export FROM_FIRST="set by first"' > "$(dirname "$0")/../export""#)
            let second = try await sandbox.makeBuildpack(
                named: "Second", compile: #"echo "$FROM_FIRST" > "$1/seen.txt""#,
                release: "printf -- '---\\ndefault_process_types:\\n  web: cat seen.txt\\n'")
            let tree = try await sandbox.workTree(files: [".buildpacks": "\(first)\n\(second)\n"])
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            let slug = try await sandbox.slugContents(try #require(try await sandbox.client.releases(app: "demo").first?.slugID))
            #expect(try String(contentsOfFile: slug + "/app/seen.txt", encoding: .utf8) == "set by first\n")
        }
    }

    @Test func buildOutputReachesThePusherWhileTheBuildRuns() async throws {
        try await PushSandbox.withRunning { sandbox in
            try await sandbox.useThirdPartyBuildpack(
                named: "Slow", compile: "echo '-----> before the pause'\nsleep 10\necho '-----> after the pause'")
            let tree = try await sandbox.workTree(files: ["Procfile": "web: sleep 1000\n"])
            var arrivals: [String: ContinuousClock.Instant] = [:]
            let status = try await sandbox.push(tree) { line in
                for marker in ["before the pause", "after the pause"] where line.contains(marker) && arrivals[marker] == nil {
                    arrivals[marker] = .now
                }
            }
            #expect(status == 0)
            let before = try #require(arrivals["before the pause"])
            let after = try #require(arrivals["after the pause"])
            // Had the output been held until the build ended, both lines would arrive together.
            #expect(after - before > .seconds(5), "the first line arrived only \(after - before) before the second")
        }
    }

    @Test func aFailedBuildRejectsThePushKeepsTheReleaseAndKeepsItsOutput() async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(copying: "buildpacks/test/fixtures/static-public")
            #expect(try await sandbox.push(tree).status == 0)
            let before = try await sandbox.client.releases(app: "demo")
            try await tree.commit(["runtime.txt": "python-2.7.18\n", "requirements.txt": ""], message: "old python")
            let push = try await sandbox.push(tree)
            #expect(push.status != 0)
            #expect(push.stderr.contains("! [remote rejected] main -> main (build failed:"), "\(push.stderr)")
            #expect(try await sandbox.client.releases(app: "demo") == before, "a failed build makes no release")
            let builds = try await sandbox.client.builds(app: "demo")
            #expect(builds.map(\.status) == ["failed", "succeeded"])
            let failed = try await sandbox.client.build(app: "demo", number: 2)
            #expect(failed.output?.contains("python-2.7") == true, "\(failed.output ?? "")")
            #expect(failed.failureReason != nil)
            // The repository still serves the deployed commit.
            #expect(try await sandbox.serverHead() == tree.revision("HEAD~1"))
        }
    }

    @Test func anAppNoBuildpackDetectsIsRefusedWithWhatEachLooksFor() async throws {
        try await PushSandbox.withRunning { sandbox in
            let tree = try await sandbox.workTree(files: ["notes.txt": "just text\n"])
            let push = try await sandbox.push(tree)
            #expect(push.status != 0)
            #expect(push.stderr.contains("(build failed: no buildpack detected"), "\(push.stderr)")
            #expect(push.stderr.contains("python: requirements.txt"), "\(push.stderr)")
            #expect(push.stderr.contains("static: a public/ directory or index.html"), "\(push.stderr)")
            #expect(try await sandbox.client.releases(app: "demo").count == 1)
        }
    }
}

/// A platform with builds, an app `demo`, and work trees to push from.
struct PushSandbox {
    let platform: TestPlatform
    let root: String
    var client: ControllerClient { platform.client }

    static func withRunning(
        runs: Bool = false, bootTimeoutSeconds: Int = 60, trixie: Bool = false, defaultStack: String? = nil,
        _ body: (PushSandbox) async throws -> Void
    ) async throws {
        try await TestPlatform.withRunning(
            builds: true, runs: runs, bootTimeoutSeconds: bootTimeoutSeconds, trixie: trixie, defaultStack: defaultStack
        ) { platform in
            let root = try TemporaryDirectory.make(prefix: "paas-push-test")
            defer { TemporaryDirectory.remove(root) }
            _ = try await platform.client.createApp(name: "demo")
            try await body(PushSandbox(platform: platform, root: root))
        }
    }

    /// A work tree holding a copy of the package's `fixture` directory, committed.
    func workTree(copying fixture: String) async throws -> GitWorkTree {
        try await GitWorkTree.create(at: root + "/app", home: root + "/home", copying: TestBinaries.packageRoot + "/" + fixture)
    }

    /// A work tree with `files` committed.
    func workTree(named name: String = "app", files: [String: String], executables: Set<String> = []) async throws -> GitWorkTree {
        try await GitWorkTree.create(at: root + "/" + name, home: root + "/home", files: files, executables: executables)
    }

    /// Makes a buildpack in its own git repository and sets demo's `BUILDPACK_URL` to it
    /// (`file://…#main`), as a third-party buildpack on a git server would be used.
    func useThirdPartyBuildpack(named name: String, compile: String, release: String = "echo '--- {}'") async throws {
        let url = try await makeBuildpack(named: name, compile: compile, release: release)
        _ = try await client.updateConfig(app: "demo", ["BUILDPACK_URL": url])
    }

    /// A buildpack in its own git repository; returns its `file://…#main` URL.
    func makeBuildpack(named name: String, compile: String, release: String = "echo '--- {}'") async throws -> String {
        let buildpack = try await workTree(
            named: name.lowercased() + "-buildpack",
            files: [
                "bin/detect": "#!/bin/sh\necho \(name)\n",
                "bin/compile": "#!/bin/sh\n\(compile)\n",
                "bin/release": "#!/bin/sh\n\(release)\n",
            ], executables: ["bin/detect", "bin/compile", "bin/release"])
        return "file://\(buildpack.path)#main"
    }

    /// `git push <the app's URL with the token> main` (app `demo` unless told).
    func push(_ tree: GitWorkTree, app: String = "demo") async throws -> ProgramResult {
        let url = platform.apiURL.replacingOccurrences(of: "http://", with: "http://paas:\(platform.adminToken)@") + "/\(app).git"
        return try await tree.git(["push", url, "main"])
    }

    /// Pushes like `push(_:)`, handing each line git prints to `line` as it arrives; returns git's status.
    func push(_ tree: GitWorkTree, line: (String) -> Void) async throws -> Int32 {
        let url = platform.apiURL.replacingOccurrences(of: "http://", with: "http://paas:\(platform.adminToken)@") + "/demo.git"
        return try await tree.streamGit(["push", "--progress", url, "main"], line: line)
    }

    /// Downloads the slug over the blob endpoint (as a runner would) and unpacks it with tar.
    func slugContents(_ slugID: String) async throws -> String {
        let response = try await platform.request("GET", "/v1/blobs/\(slugID)")
        try #require(response.status == 200, "GET /v1/blobs/\(slugID) answered \(response.status)")
        let archive = root + "/slug-\(slugID.prefix(12)).tgz"
        let directory = root + "/slug-\(slugID.prefix(12))"
        try response.body.write(to: URL(fileURLWithPath: archive))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let untar = try await runProgram("/usr/bin/env", ["tar", "-xzf", archive, "-C", directory])
        try #require(untar.status == 0, "the slug is not a tar.gz: \(untar.stderr)")
        return directory
    }

    /// The commit `main` names in the app's repository on the platform.
    func serverHead() async throws -> String {
        let result = try await runProgram(
            "/usr/bin/env", ["git", "--git-dir", platform.dataDirectory + "/git/demo.git", "rev-parse", "refs/heads/main"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
