import Foundation
@testable import PaasGit
import PaasTesting
import Testing

@Suite(.tags(.small))
struct ReportStatusRewriterTests {
    private func packets(_ lines: [String]) -> [UInt8] {
        lines.flatMap { PktLine.encode($0) } + PktLine.flush
    }

    @Test func rewritesTheHookReasonInsideSideBandOne() throws {
        let report = packets(["unpack ok\n", "ng refs/heads/main pre-receive hook declined\n"])
        let stream = PktLine.encode([2] + Array("remote: building\n".utf8)) + PktLine.encode([1] + report) + PktLine.flush
        var rewriter = ReportStatusRewriter(reason: { "build failed: boom" })
        // Fed one byte at a time, to show packet boundaries do not matter.
        var out: [UInt8] = []
        for byte in stream { out += try rewriter.feed([byte]) }
        out += rewriter.finish()
        let expected =
            PktLine.encode([2] + Array("remote: building\n".utf8))
            + PktLine.encode([1] + packets(["unpack ok\n", "ng refs/heads/main build failed: boom\n"])) + PktLine.flush
        #expect(out == expected)
    }

    @Test func rewritesPlainReportsAndLeavesOtherReasonsAlone() throws {
        let stream = packets(["unpack ok\n", "ng refs/heads/main pre-receive hook declined\n", "ng refs/heads/x non-fast-forward\n"])
        var rewriter = ReportStatusRewriter(reason: { "only main deploys" })
        let out = try rewriter.feed(stream) + rewriter.finish()
        #expect(out == packets(["unpack ok\n", "ng refs/heads/main only main deploys\n", "ng refs/heads/x non-fast-forward\n"]))
    }

    @Test func passesReportsThroughWhenThereIsNoReason() throws {
        let stream = PktLine.encode([1] + packets(["unpack ok\n", "ok refs/heads/main\n"])) + PktLine.flush
        var rewriter = ReportStatusRewriter(reason: { nil })
        #expect(try rewriter.feed(stream) + rewriter.finish() == stream)
    }
}

@Suite(.tags(.small))
struct DeployBranchPolicyTests {
    let zero = String(repeating: "0", count: 40)
    let a = String(repeating: "a", count: 40)

    @Test(arguments: ["main", "master"])
    func mainAndMasterDeploy(branch: String) {
        let update = RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/\(branch)")
        #expect(DeployBranchPolicy.decide([update]) == .deploy(update))
    }

    @Test func otherRefsAndDeletionsAreRefused() {
        guard case .refuse(let reason) = DeployBranchPolicy.decide([RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/dev")]) else {
            Issue.record("a push to dev must be refused")
            return
        }
        #expect(reason.contains("git push paas dev:main"))
        guard case .refuse = DeployBranchPolicy.decide([RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/tags/v1")]) else {
            Issue.record("a tag push must be refused")
            return
        }
        guard case .refuse(let deletion) = DeployBranchPolicy.decide([RefUpdate(oldCommit: a, newCommit: zero, ref: "refs/heads/main")]) else {
            Issue.record("deleting main must be refused")
            return
        }
        #expect(deletion.contains("cannot be deleted"))
        #expect(DeployBranchPolicy.decide([]) == .nothing)
    }

    @Test func basicAuthPasswordIsTheToken() {
        #expect(GitReceiver.token(fromAuthorization: "Basic " + "paas:s3cret".base64) == "s3cret")
        #expect(GitReceiver.token(fromAuthorization: "Basic " + "anyone:".base64) == nil)
        #expect(GitReceiver.token(fromAuthorization: "Bearer abc") == "abc")
        #expect(GitReceiver.token(fromAuthorization: nil) == nil)
    }
}

extension String {
    fileprivate var base64: String { Data(utf8).base64EncodedString() }
}

/// What the pre-receive hook's callback accepts: only the shapes git itself sends.
@Suite(.tags(.small))
struct HookInputTests {
    let zero = String(repeating: "0", count: 40)
    let a = String(repeating: "a", count: 40)

    @Test func gitsOwnLinesParse() throws {
        let sha256 = String(repeating: "b", count: 64)
        let updates = try #require(RefUpdate.parse("\(zero) \(a) refs/heads/main\n\(zero) \(sha256) refs/heads/feature/x-1.2\n"))
        #expect(updates == [
            RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/main"),
            RefUpdate(oldCommit: zero, newCommit: sha256, ref: "refs/heads/feature/x-1.2"),
        ])
    }

    /// Each would reach `git archive` or a ref check as something other than an object id or a ref.
    @Test(arguments: [
        "0000000000000000000000000000000000000000 --output=/var/lib/paas/postgres/global/pg_control refs/heads/main",
        "0000000000000000000000000000000000000000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA refs/heads/main",
        "0000000000000000000000000000000000000000 aaaa refs/heads/main",
        "0000000000000000000000000000000000000000 HEAD~1 refs/heads/main",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/../../x",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/-x",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa heads/main",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/ma in",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/main extra",
        "0000000000000000000000000000000000000000  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/main",
        "0000000000000000000000000000000000000000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/main\u{1b}[2J",
    ])
    func anythingElseIsRefusedWhole(line: String) {
        #expect(RefUpdate.parse("\(zero) \(a) refs/heads/main\n" + line + "\n") == nil)
    }

    @Test func theQuarantineMustBeGitsOwnDirectoryInTheAppsRepository() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-quarantine")
        defer { TemporaryDirectory.remove(root) }
        let repository = root + "/demo.git"
        for directory in ["demo.git/objects/tmp_objdir-incoming-Ab12Cd", "demo.git/objects/pack", "other.git/objects/tmp_objdir-incoming-x"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        #expect(GitReceiver.quarantine(nil, of: repository) == "")
        #expect(GitReceiver.quarantine("", of: repository) == "")
        for good in ["\(repository)/./objects/tmp_objdir-incoming-Ab12Cd", "\(repository)/objects/incoming-Ab12Cd"] {
            #expect(GitReceiver.quarantine(good, of: repository) == good)
        }
        for bad in [
            "/tmp/objs", "\(root)/other.git/objects/tmp_objdir-incoming-x", "\(repository)/objects",
            "\(repository)/objects/tmp_objdir-incoming-x/../../../other.git/objects", "\(repository)/objects/pack",
            "\(repository)/objects/../../other.git/objects/tmp_objdir-incoming-x",
        ] {
            #expect(GitReceiver.quarantine(bad, of: repository) == nil, "\(bad)")
        }
    }
}
