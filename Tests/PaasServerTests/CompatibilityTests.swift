// The compatibility suite: sample apps of the shapes people deploy most (Tests/compat/*), each
// pushed unchanged with real git to a real platform, built with the built-in (or a third-party)
// buildpack, run in runc containers and checked over HTTP through the platform's router.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct CompatibilityTests {
    @Test func flaskUnderGunicornServesAndEchoesJSON() async throws {
        try await CompatApp.withPushed("flask-gunicorn") { app in
            try await app.router.eventually("/") { $0.status == 200 && $0.body == "Hello from Flask on web.1\n" }
            let echo = try await app.router.fetch("/echo", method: "POST", body: #"{"n": 42}"#)
            #expect(echo.status == 200)
            #expect(echo.body.contains(#""received":{"n":42}"#) && echo.body.contains(#""scheme":"http""#), "\(echo.body)")
        }
    }

    @Test func fastAPIUnderUvicornAnswersWithTheForwardedScheme() async throws {
        try await CompatApp.withPushed("fastapi-uvicorn") { app in
            try await app.router.eventually("/items/7?q=x") { $0.status == 200 && $0.body == #"{"item_id":7,"q":"x"}"# }
            let wrong = try await app.router.fetch("/items/seven")
            #expect(wrong.status == 422, "FastAPI's own validation answers: \(wrong.body)")
            let scheme = try await app.router.fetch("/scheme", https: true)
            #expect(scheme.status == 200 && scheme.body == #"{"scheme":"https"}"#, "\(scheme.status) \(scheme.body)")
        }
    }

    /// Django as Heroku prepares it: collectstatic at build time, migrations in the release phase
    /// against the PostgreSQL add-on, WhiteNoise serving the manifest's files, HTTPS behind the router.
    @Test func djangoWithWhiteNoiseAndPostgresServesOverHTTPS() async throws {
        try await CompatApp.withPushed("django-whitenoise-postgres", addons: ["postgresql"]) { app in
            #expect(app.push.stderr.contains("static file"), "collectstatic ran during the build:\n\(app.push.stderr)")
            #expect(app.push.stderr.contains("Applying notes.0001_initial... OK"), "the release phase migrated:\n\(app.push.stderr)")
            try await app.router.eventually("/", https: true) { $0.status == 200 && $0.body.contains("database=postgresql") }
            let page = try await app.router.fetch("/", https: true)
            #expect(page.body.contains("visits="), "\(page.body)")
            let stylesheet = try #require(page.body.firstMatch(of: /href="(\/static\/css\/site\.[0-9a-f]{12}\.css)"/)?.1,
                "the page links the manifest's hashed name: \(page.body)")
            let css = try await app.router.fetch(String(stylesheet), https: true)
            #expect(css.status == 200 && css.body.contains("font-family"), "\(css.status) \(css.body.prefix(200))")
            let plain = try await app.router.fetch("/")
            #expect(plain.status == 301 && plain.location?.hasPrefix("https://") == true, "HTTP redirects to HTTPS: \(plain.status)")
        }
    }

    /// An rq worker on the Redis add-on runs a job that the web process enqueued.
    @Test func rqWorkerRunsAJobTheWebProcessEnqueued() async throws {
        try await CompatApp.withPushed("rq-worker", addons: ["redis"]) { app in
            _ = try await app.sandbox.client.scale(app: "demo", ["worker": 1])
            try await app.router.eventually("/result?id=none") { $0.status == 404 }
            let enqueued = try await app.router.fetch("/enqueue?a=2&b=3")
            #expect(enqueued.status == 200, "\(enqueued.body)")
            let id = try #require(enqueued.body.firstMatch(of: /"id": "([0-9a-f-]+)"/)?.1, "\(enqueued.body)")
            try await app.router.eventually("/result?id=\(id)") { $0.body.contains(#""status": "finished""#) }
            let result = try await app.router.fetch("/result?id=\(id)")
            #expect(result.body.contains(#""sum": 5"#) && result.body.contains(#""ran_on": "worker.1""#), "\(result.body)")
            // The worker registered with its address: the add-on's user may run CLIENT SETNAME and CLIENT LIST.
            let workers = try await app.router.fetch("/workers")
            #expect(workers.body.contains(#""worker-worker.1": "10.215."#), "\(workers.body)")
        }
    }

    @Test func goModuleWithAVendoredDependencyBuildsOffline() async throws {
        try await CompatApp.withPushed("go-vendored") { app in
            #expect(app.push.stderr.contains("Using the vendored dependencies"), "\(app.push.stderr)")
            try await app.router.eventually("/?name=paas") { $0.body == "Hello, paas, from a vendored module\n" }
        }
    }

    /// A go.mod asking for Go 1.22: refused on bookworm with a message naming trixie, built there.
    @Test func goModuleNeedingANewerGoSaysWhichStackHasItAndBuildsThere() async throws {
        try await PushSandbox.withRunning(runs: true, trixie: true) { sandbox in
            let tree = try await sandbox.workTree(copying: "Tests/compat/go-modern")
            let refused = try await sandbox.push(tree)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("go.mod asks for Go 1.22, but the bookworm stack has Go 1.19"), "\(refused.stderr)")
            #expect(refused.stderr.contains("run 'paas stack:set trixie' and push again"), "\(refused.stderr)")
            _ = try await sandbox.client.updateApp("demo", AppUpdateRequest(stack: "trixie"))
            let push = try await sandbox.push(tree)
            try #require(push.status == 0, "\(push.stderr)")
            try await RouterProbe(sandbox).eventually("/") { $0.status == 200 && $0.body.hasPrefix("sum=6 go=go1.2") }
        }
    }

    @Test func nodeAppWithNoDependenciesStartsFromItsStartScript() async throws {
        try await CompatApp.withPushed("node-no-deps") { app in
            try await app.router.eventually("/hi") { $0.status == 200 && $0.body.contains(#""path":"/hi""#) }
            #expect(try await app.router.fetch("/").body.contains(#""env":"production""#))
        }
    }

    /// Dokku's `.static` marker in the app's tree does not collide with the buildpack's own files.
    @Test func staticSiteWithADotStaticMarkerServesAndHidesDotFiles() async throws {
        try await CompatApp.withPushed("static-marker") { app in
            try await app.router.eventually("/") { $0.status == 200 && $0.body.contains("A static site with a .static marker") }
            #expect(try await app.router.fetch("/docs/").body.contains("Nested pages are served too."))
            for hidden in ["/.env", "/.static"] {
                let answer = try await app.router.fetch(hidden)
                #expect(answer.status == 404 && !answer.body.contains("never served"), "\(hidden): \(answer.status)")
            }
        }
    }

    /// A third-party buildpack with only bin/detect and bin/compile, used through BUILDPACK_URL.
    @Test func thirdPartyBuildpackWithoutBinReleaseBuildsAndTheProcfileRuns() async throws {
        try await CompatApp.withPushed("buildpack-no-release/app", buildpack: "buildpack-no-release/buildpack") { app in
            #expect(app.push.stderr.contains("-----> Installing the greeting server"), "\(app.push.stderr)")
            try await app.router.eventually("/") { $0.body == "Hello from a buildpack without bin/release\n" }
        }
    }

    /// `/app` (the slug, also `$HOME`) is read-only at run time and says so; `/tmp` is writable.
    @Test func aProcessWritingIntoTheSlugGetsAReadOnlyErrorAndTmpWorks() async throws {
        try await CompatApp.withPushed("writes-to-app") { app in
            try await app.router.eventually("/") { $0.body == "kept in /tmp\n" }
            let logs = try await eventually("the second write's error in the logs", interval: .milliseconds(200)) {
                let logs = try await app.sandbox.client.logs(app: "demo", lines: 500)
                return logs.contains(where: { $0.contains("cannot write /app/.cache/state") }) ? logs : nil
            }
            #expect(logs.contains { $0.hasSuffix("app[web.1]: cannot write /app/cache.txt: Read-only file system") }, "\(logs.suffix(10))")
            #expect(logs.contains { $0.hasSuffix("app[web.1]: cannot write /app/.cache/state: Read-only file system") }, "\(logs.suffix(10))")
        }
    }
}

/// One compat app pushed to its own test platform as app `demo`.
struct CompatApp {
    let sandbox: PushSandbox
    let push: ProgramResult
    let router: RouterProbe

    /// Pushes `Tests/compat/<directory>` (after adding `addons`, and with `buildpack`, a directory
    /// of Tests/compat made into a git repository and used through BUILDPACK_URL), requires the
    /// push to succeed, then runs `body`.
    static func withPushed(
        _ directory: String, addons: [String] = [], buildpack: String? = nil, _ body: (CompatApp) async throws -> Void
    ) async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            for kind in addons { _ = try await sandbox.client.addAddon(app: "demo", kind: kind) }
            if let buildpack {
                let repository = try await GitWorkTree.create(
                    at: sandbox.root + "/buildpack", home: sandbox.root + "/home",
                    copying: TestBinaries.packageRoot + "/Tests/compat/" + buildpack)
                _ = try await sandbox.client.updateConfig(app: "demo", ["BUILDPACK_URL": "file://\(repository.path)#main"])
            }
            let push = try await sandbox.push(try await sandbox.workTree(copying: "Tests/compat/" + directory))
            try #require(push.status == 0, "the push of \(directory) failed:\n\(push.stderr)")
            try await body(CompatApp(sandbox: sandbox, push: push, router: try RouterProbe(sandbox)))
        }
    }
}

extension RouterProbe {
    /// A request for `path` on `host` through the router, over HTTP or HTTPS (any certificate).
    func fetch(
        _ path: String, host: String = "demo.localhost", https: Bool = false, method: String = "GET", body: String? = nil
    ) async throws -> Answer {
        let port = https ? httpsPort : httpPort
        let url = "\(https ? "https" : "http")://\(host):\(port)\(path)"
        var arguments = ["--noproxy", "*", "-sS", "-k", "--max-time", "20", "-D", "-", "--resolve", "\(host):\(port):127.0.0.1", "-X", method]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await runProgram("/usr/bin/curl", arguments + [url])
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let location = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }
            .map { $0.dropFirst("location:".count).trimmingCharacters(in: .whitespaces) }
        guard status != 0 else { return Answer(status: 0, body: "curl exited \(result.status): \(result.stderr)", location: nil) }
        return Answer(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), location: location)
    }

    /// Whether `path` comes to answer to `check` (the route table and the app's boot follow a
    /// push by a moment); records a test issue with the last answer if it does not before the hang guard.
    @discardableResult
    func eventually(_ path: String, https: Bool = false, _ check: (Answer) -> Bool) async throws -> Bool {
        try await answers(path, check) { try await fetch(path, https: https) }
    }
}
