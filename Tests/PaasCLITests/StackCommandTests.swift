import Foundation
import PaasAPI
@testable import PaasCLI
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct StackCommandTests {
    @Test func stackListsTheStacksAndStackSetChangesTheAppsStack() async throws {
        try await CLISandbox.withRunning(trixie: true) { sandbox in
            try await sandbox.createApp("stk")

            let list = try await sandbox.paas("stack", "-a", "stk")
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.lines == ["=== stk Available Stacks", "* bookworm  (default)", "  trixie"])

            let set = try await sandbox.paas("stack:set", "trixie", "-a", "stk")
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stdout.isEmpty)
            #expect(set.stderr == """
                Setting stack to trixie... done
                Next build of stk will use trixie. Run 'git push paas main' to create a new release on trixie.

                """)
            #expect(try await sandbox.platform.client.app("stk").stack == "trixie")
            let after = try await sandbox.paas("stack", "-a", "stk")
            #expect(after.lines == ["=== stk Available Stacks", "  bookworm  (default)", "* trixie"])

            let info = try await sandbox.paas("apps:info", "-a", "stk")
            #expect(info.lines.contains { $0.hasPrefix("Stack:") && $0.hasSuffix(" trixie") })

            let unknown = try await sandbox.paas("stack:set", "jessie", "-a", "stk")
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("Setting stack to jessie... failed\nerror: This platform has no stack 'jessie'. Its stacks are: bookworm, trixie."))
            #expect(try await sandbox.platform.client.app("stk").stack == "trixie")

            let json = try await sandbox.paas("stack", "--json")
            let stacks = try json.decoded([StackResource].self)
            #expect(stacks.map(\.name) == ["bookworm", "trixie"])
            #expect(stacks.map(\.default) == [true, false])
        }
    }

    @Test func appsCreateTakesAStack() async throws {
        try await CLISandbox.withRunning(trixie: true) { sandbox in
            let created = try await sandbox.paas("apps:create", "newer", "--stack", "trixie", "--json")
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try created.decoded(AppResource.self).stack == "trixie")
            let refused = try await sandbox.paas("apps:create", "older", "--stack", "jessie")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("no stack 'jessie'"))
            #expect((try? await sandbox.platform.client.app("older")) == nil)
        }
    }

    @Test func stackLinesMarkTheAppsStackAndShowVersions() {
        let lines = StackFormat.lines(
            [
                StackResource(name: "bookworm", default: true, versions: ["python": "3.11.2", "go": "1.19.8", "node": "18.20.4"]),
                StackResource(name: "trixie", default: false, versions: ["python": "3.13.5", "go": "1.24.4", "node": "20.19.2"]),
            ], current: "trixie")
        #expect(lines == [
            "  bookworm  (default)  python 3.11.2, go 1.19.8, node 18.20.4",
            "* trixie               python 3.13.5, go 1.24.4, node 20.19.2",
        ])
    }
}
