// The release phase on real parts: the Procfile's `release:` command runs once per new release in
// a one-off container before the release's processes start; when it fails, the deploy stops.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct ReleasePhaseTests {
    @Test func theReleaseCommandRunsBeforeTheProcessesAndItsOutputReachesThePush() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            var files = DeployTests.webApp(version: "one")
            files["Procfile"] = "web: python3 server.py\nrelease: echo \"migrating for $PAAS_RELEASE as $(id -u)\"\n"
            let push = try await sandbox.push(try await sandbox.workTree(files: files))
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stderr.contains("remote: -----> Running release command..."), "\(push.stderr)")
            #expect(push.stderr.contains("remote:        migrating for v2 as 10000"), "\(push.stderr)")
            #expect(try await sandbox.client.release(app: "demo", version: 2).status == "succeeded")
            let processes = try await sandbox.processes()
            #expect(processes.map(\.id) == ["demo.v2.web.1"], "the release phase is not a process of the formation")
            #expect(try await sandbox.answer(of: processes[0]) == "web.1 v2 10000 - one")
            let formation = try await sandbox.client.formation(app: "demo")
            #expect(!formation.contains { $0.type == "release" })

            // A config change is a new release: the release phase runs again, with the new config.
            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "hello"])
            let logs = try await sandbox.client.logs(app: "demo")
            #expect(logs.contains { $0.hasSuffix("app[release.1]: migrating for v3 as 10000") }, "\(logs)")
        }
    }

    @Test func aFailingReleaseCommandAbortsTheDeployAndTheOldReleaseKeepsServing() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let tree = try await sandbox.workTree(files: DeployTests.webApp(version: "one"))
            #expect(try await sandbox.push(tree).status == 0)
            try await tree.commit(
                DeployTests.webApp(version: "two").merging(
                    ["Procfile": "web: python3 server.py\nrelease: echo 'cannot reach the database' >&2; exit 3\n"]
                ) { $1 },
                message: "failing release phase")
            let push = try await sandbox.push(tree)
            #expect(push.status != 0)
            #expect(push.stderr.contains("remote:        cannot reach the database"), "\(push.stderr)")
            let reason = "release command exited with status 3: cannot reach the database"
            #expect(push.stderr.contains("! [remote rejected] main -> main (deploy failed: \(reason))"), "\(push.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 3)
            #expect(release.status == "failed")
            #expect(release.statusReason == reason)
            let processes = try await sandbox.processes()
            #expect(processes.map(\.id) == ["demo.v2.web.1"], "no process of the failed release started")
            #expect(try await sandbox.answer(of: processes[0]) == "web.1 v2 10000 - one")
            let logs = try await sandbox.client.logs(app: "demo")
            #expect(logs.contains { $0.hasSuffix("paas[deploy]: v3 failed: \(reason)") }, "\(logs)")
        }
    }
}
