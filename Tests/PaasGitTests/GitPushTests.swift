import Foundation
import PaasGit
import PaasTesting
import Testing

/// Real `git push`, fetch and clone over smart HTTP against PaasGit, with a scripted deploy.
@Suite(.tags(.medium))
struct GitPushTests {
    @Test func pushToMainRunsTheDeployWhileThePushIsOpenAndUpdatesTheRef() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["app.py": "print('hi')\n", "lib/util.py": "x = 1\n"])
            let push = try await tree.git(["push", server.remoteURL(), "main"])
            #expect(push.status == 0, "push failed: \(push.stderr)")
            let commit = try await tree.revision()
            #expect(push.stderr.contains("remote: -----> Fake build of \(commit.prefix(7)) by tester"))
            #expect(push.stderr.contains("remote:        2 files"))
            #expect(!push.stderr.contains("paas-push-result"), "the verdict line is the hook's, not the pusher's")
            #expect(try await server.serverRevision("refs/heads/main") == commit)
            // The deploy saw the pushed tree itself, without .git.
            let exported = server.handler.exported.files.withLock { $0 }
            #expect(exported["app.py"] == "print('hi')\n")
            #expect(exported["lib/util.py"] == "x = 1\n")
            #expect(!exported.keys.contains { $0.hasPrefix(".git") })
            // The hook handed the push's URL and one-time token to curl without putting them in
            // its command line.
            #expect(server.handler.exported.leakedCommandLines.withLock { $0 } == [])
        }
    }

    @Test func aRejectedDeployRefusesThePushWithItsReasonAndKeepsTheRef() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["app.py": "ok\n"])
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            let good = try await tree.revision()
            try await tree.commit(["FAIL": "please\n"], message: "break it")
            let push = try await tree.git(["push", server.remoteURL(), "main"])
            #expect(push.status != 0)
            #expect(push.stderr.contains("! [remote rejected] main -> main (build failed: the app asked to fail)"), "\(push.stderr)")
            #expect(try await server.serverRevision("refs/heads/main") == good)
        }
    }

    @Test func aTreeThatExpandsPastTheLimitsIsRefusedBeforeItIsWritten() async throws {
        var limits = Push.TreeLimits()
        limits.bytes = 1 << 20
        limits.entries = 50
        try await GitServer.withRunning(treeLimits: limits) { server in
            // One 600 KB blob under two names: a small pack, 1.2 MB of files.
            let blob = String(repeating: "0123456789abcdef", count: 600_000 / 16)
            let tree = try await server.makeWorkTree("app", files: ["a.bin": blob, "b.bin": blob])
            let push = try await tree.git(["push", server.remoteURL(), "main"])
            #expect(push.status != 0)
            #expect(push.stderr.contains("tree_too_large"), "\(push.stderr)")
            #expect(push.stderr.contains("1 MiB of files or 50 files at most"), "\(push.stderr)")
            #expect(server.handler.exported.files.withLock { $0 }.isEmpty)
            #expect(try await server.serverRevision("refs/heads/main") == nil)

            let many = try await server.makeWorkTree(
                "many", files: Dictionary(uniqueKeysWithValues: (0...50).map { ("f\($0)", "\($0)\n") }))
            let manyPush = try await many.git(["push", server.remoteURL(), "main"])
            #expect(manyPush.status != 0 && manyPush.stderr.contains("tree_too_large"), "\(manyPush.stderr)")

            // Within both limits: exported as usual.
            let fits = try await server.makeWorkTree("fits", files: ["a.bin": blob])
            let fitsPush = try await fits.git(["push", server.remoteURL(), "main"])
            #expect(fitsPush.status == 0, "\(fitsPush.stderr)")
            #expect(server.handler.exported.files.withLock { $0 }["a.bin"] == blob)
        }
    }

    @Test func otherBranchesAreRefusedWithAMessageNamingMain() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["a": "1\n"])
            let push = try await tree.git(["push", server.remoteURL(), "main:feature"])
            #expect(push.status != 0)
            #expect(push.stderr.contains("git push paas feature:main"), "\(push.stderr)")
            #expect(push.stderr.contains("! [remote rejected] main -> feature (only main deploys"), "\(push.stderr)")
            #expect(try await server.serverRevision("refs/heads/feature") == nil)
        }
    }

    @Test func forcePushesReplaceTheHistory() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["a": "1\n"])
            try await tree.commit(["a": "2\n"], message: "second")
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            #expect(try await tree.git(["reset", "-q", "--hard", "HEAD~1"]).status == 0)
            try await tree.commit(["b": "other\n"], message: "diverged")
            let plain = try await tree.git(["push", server.remoteURL(), "main"])
            #expect(plain.status != 0, "a non-fast-forward push needs --force")
            let forced = try await tree.git(["push", "--force", server.remoteURL(), "main"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try await server.serverRevision("refs/heads/main") == tree.revision())
        }
    }

    @Test func theOwnerCanCloneAndFetchBack() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["readme": "hello\n"])
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            let clone = try await tree.git(["clone", "-q", server.remoteURL(), server.root + "/copy"])
            #expect(clone.status == 0, "\(clone.stderr)")
            #expect(try String(contentsOfFile: server.root + "/copy/readme", encoding: .utf8) == "hello\n")
            try await tree.commit(["readme": "again\n"], message: "more")
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            let copy = GitWorkTree(path: server.root + "/copy", home: tree.home)
            #expect(try await copy.git(["pull", "-q", "--ff-only"]).status == 0)
            #expect(try String(contentsOfFile: server.root + "/copy/readme", encoding: .utf8) == "again\n")
        }
    }

    @Test func gzippedRequestBodiesAreUnpacked() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["a": "0\n"])
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            let clone = try await tree.git(["clone", "-q", server.remoteURL(), server.root + "/copy"])
            #expect(clone.status == 0, "\(clone.stderr)")
            let copy = GitWorkTree(path: server.root + "/copy", home: tree.home)
            // Forty local commits make the fetch's "have" lines larger than 1 KiB, which git gzips.
            for index in 1...40 { try await copy.commit(["local": "\(index)\n"], message: "local \(index)") }
            try await tree.commit(["a": "1\n"], message: "upstream")
            #expect(try await tree.git(["push", server.remoteURL(), "main"]).status == 0)
            let fetch = try await copy.git(["fetch", "origin"], environment: ["GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"])
            #expect(fetch.status == 0, "\(fetch.stderr.suffix(2000))")
            #expect(fetch.stderr.contains("Content-Encoding: gzip"), "the fetch did not send a gzipped body")
            #expect(try await copy.revision("origin/main") == tree.revision())
        }
    }

    @Test func chunkedPushesLargerThanOneMiBGoThrough() async throws {
        try await GitServer.withRunning { server in
            // Random bytes do not compress, so the pack stays over git's 1 MiB post buffer and is sent chunked.
            let tree = try await server.makeWorkTree("app", files: ["small": "x\n"])
            let blob = try TestFiles.randomBytes(3 << 20)
            try Data(blob).write(to: URL(fileURLWithPath: tree.path + "/big.bin"))
            try await tree.commit([:], message: "big")
            let push = try await tree.git(["-c", "http.postBuffer=1048576", "push", server.remoteURL(), "main"])
            #expect(push.status == 0, "\(push.stderr)")
            #expect(server.handler.exported.files.withLock { $0["big.bin"] } != nil)
        }
    }

    @Test func pushesOverTheSizeLimitAreRefused() async throws {
        try await GitServer.withRunning(maxPushSize: 256 << 10) { server in
            let tree = try await server.makeWorkTree("app", files: ["small": "x\n"])
            let blob = try TestFiles.randomBytes(1 << 20)
            try Data(blob).write(to: URL(fileURLWithPath: tree.path + "/big.bin"))
            try await tree.commit([:], message: "big")
            let push = try await tree.git(["push", server.remoteURL(), "main"])
            #expect(push.status != 0)
            #expect(push.stderr.contains("exceeds maximum allowed size"), "\(push.stderr)")
            #expect(try await server.serverRevision("refs/heads/main") == nil)
        }
    }

    @Test func missingAndInvalidTokensFailAsAuthenticationAndUnknownAppsAsNotFound() async throws {
        try await GitServer.withRunning { server in
            let tree = try await server.makeWorkTree("app", files: ["a": "1\n"])
            let anonymous = try await tree.git(["push", server.remoteURL(token: nil), "main"])
            #expect(anonymous.status != 0)
            #expect(anonymous.stderr.contains("could not read Username") || anonymous.stderr.contains("Authentication failed"), "\(anonymous.stderr)")
            let wrong = try await tree.git(["push", server.remoteURL(token: "not-the-token"), "main"])
            #expect(wrong.stderr.contains("Authentication failed"), "\(wrong.stderr)")
            let unknown = try await tree.git(["push", server.remoteURL(app: "nope"), "main"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("not found"), "\(unknown.stderr)")
            #expect(try await server.serverRevision("refs/heads/main") == nil)
        }
    }
}
