// Deploys on real parts: a push builds a slug, the runner starts it in runc containers on a
// bridge of the test's own, web processes must listen on $PORT, and old processes make way.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct DeployTests {
    /// A web app that answers with who it is: dyno, release, uid, GREETING and its code's version.
    static func webApp(version: String) -> [String: String] {
        [
            "Procfile": "web: python3 server.py\n",
            "server.py": """
                import os, socketserver, http.server

                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = " ".join([os.environ["DYNO"], os.environ["PAAS_RELEASE"], str(os.getuid()),
                                         os.environ.get("GREETING", "-"), "\(version)"]).encode()
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)

                    def log_message(self, *args):
                        pass

                socketserver.TCPServer.allow_reuse_address = True
                with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
                    print("listening on", os.environ["PORT"], flush=True)
                    server.serve_forever()

                """,
        ]
    }

    @Test func aPushedWebAppServesOnItsOwnAddressAndConfigChangesRestartIt() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let tree = try await sandbox.workTree(files: Self.webApp(version: "one"))
            let push = try await sandbox.push(tree)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stderr.contains("remote:        Released v2"))
            let first = try await sandbox.processes()
            #expect(first.map(\.id) == ["demo.v2.web.1"])
            #expect(try await sandbox.answer(of: first[0]) == "web.1 v2 10000 - one")

            _ = try await sandbox.client.updateConfig(app: "demo", ["GREETING": "hello"])
            let second = try await sandbox.processes()
            #expect(second.map(\.id) == ["demo.v3.web.1"], "the config change replaced the process")
            #expect(try await sandbox.answer(of: second[0]) == "web.1 v3 10000 hello one")
        }
    }

    @Test func scalingStartsProcessesWithTheirOwnAddresses() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: Self.webApp(version: "one"))).status == 0)
            _ = try await sandbox.client.scale(app: "demo", ["web": 3])
            let processes = try await sandbox.processes()
            #expect(processes.map(\.id) == ["demo.v2.web.1", "demo.v2.web.2", "demo.v2.web.3"])
            #expect(Set(processes.compactMap(\.ip)).count == 3)
            for process in processes {
                #expect(try await sandbox.answer(of: process) == "\(process.type).\(process.index) v2 10000 - one")
            }
            _ = try await sandbox.client.scale(app: "demo", ["web": 1])
            #expect(try await sandbox.processes().map(\.id) == ["demo.v2.web.1"])
        }
    }

    @Test func aReleaseThatNeverListensFailsAndTheOldOneKeepsServing() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let tree = try await sandbox.workTree(files: Self.webApp(version: "one"))
            #expect(try await sandbox.push(tree).status == 0)
            // The app's own boot timeout (`paas ps:set boot-timeout 3`) replaces the platform's 60 s.
            _ = try await sandbox.client.updateApp("demo", AppUpdateRequest(bootTimeoutSeconds: 3))
            try await tree.commit(["Procfile": "web: sleep 600\n"], message: "never listens")
            let push = try await sandbox.push(tree)
            #expect(push.status != 0)
            #expect(
                push.stderr.contains("! [remote rejected] main -> main (deploy failed: web.1 did not listen on $PORT (5000) within 3 s)"),
                "\(push.stderr)")
            let release = try await sandbox.client.release(app: "demo", version: 3)
            #expect(release.status == "failed")
            #expect(release.statusReason == "web.1 did not listen on $PORT (5000) within 3 s")
            let processes = try await sandbox.processes()
            #expect(processes.map(\.id) == ["demo.v2.web.1"])
            #expect(try await sandbox.answer(of: processes[0]) == "web.1 v2 10000 - one")
        }
    }

    @Test func rollbackServesTheOldCodeAgainWithoutABuild() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let tree = try await sandbox.workTree(files: Self.webApp(version: "one"))
            #expect(try await sandbox.push(tree).status == 0)
            try await tree.commit(Self.webApp(version: "two"), message: "two")
            let second = try await sandbox.push(tree)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try await sandbox.answer(of: try await sandbox.processes()[0]) == "web.1 v3 10000 - two")
            let rollback = try await sandbox.client.rollback(app: "demo", to: 2)
            #expect(rollback.version == 4)
            let processes = try await sandbox.processes()
            let releases = try await sandbox.client.releases(app: "demo").map { "v\($0.version) \($0.status) \($0.statusReason ?? "")" }
            #expect(processes.map(\.id) == ["demo.v4.web.1"], "\(releases)")
            #expect(try await sandbox.answer(of: processes[0]) == "web.1 v4 10000 - one")
            #expect(try await sandbox.client.builds(app: "demo").count == 2, "a rollback builds nothing")
        }
    }

    @Test func restartingStartsTheProcessesAgain() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: Self.webApp(version: "one"))).status == 0)
            let before = try #require(try await sandbox.processes().first)
            try await sandbox.client.restartProcesses(app: "demo", type: "web")
            let after = try #require(try await sandbox.processes().first)
            #expect(after.id == before.id)
            let logs = try await sandbox.client.logs(app: "demo")
            #expect(logs.filter { $0.hasSuffix(" paas[web.1]: Started (v2)") }.count == 2, "a new run of the same process: \(logs)")
            #expect(logs.contains { $0.hasSuffix(" paas[web.1]: Stopped") }, "\(logs)")
            #expect(try await sandbox.answer(of: after) == "web.1 v2 10000 - one")
            let events = try await sandbox.client.events(app: "demo")
            #expect(events.first?.description == "Restarted web processes")
        }
    }

    @Test func oneOffRunsStreamTheirOutputAndEndWithTheirStatus() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: Self.webApp(version: "one"))).status == 0)
            var lines: [String] = []
            var exit: RunExit?
            let events = try await sandbox.client.run(
                app: "demo", RunRequest(command: ["echo \"$DYNO $PAAS_RELEASE $EXTRA\"; ls server.py; exit 3"], env: ["EXTRA": "x"]))
            for try await event in events {
                if event.event == "exit" {
                    exit = try APICoding.makeDecoder().decode(RunExit.self, from: Data(event.data.utf8))
                } else {
                    lines.append(event.data)
                }
            }
            #expect(exit == RunExit(status: 3, reason: "exited with status 3"))
            // The process's two lines, in order (the runtime may add a warning line of its own).
            let first = try #require(lines.firstIndex { $0.wholeMatch(of: /run\.[0-9]{4} v2 x/) != nil }, "\(lines)")
            #expect(lines[(first + 1)...].contains("server.py"), "\(lines)")
            #expect(try await sandbox.processes().map(\.id) == ["demo.v2.web.1"], "the run left no process behind")
            let logs = try await sandbox.client.logs(app: "demo")
            #expect(logs.contains { $0.contains(" paas[run.") && $0.hasSuffix("]: Process exited with status 3") }, "\(logs)")
        }
    }

    @Test func destroyingTheAppStopsItsProcesses() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: Self.webApp(version: "one"))).status == 0)
            let address = try #require(try await sandbox.processes().first?.ip)
            try await sandbox.client.destroyApp("demo")
            let gone = try await runProgram("/usr/bin/curl", ["--noproxy", "*", "-sS", "--max-time", "2", "http://\(address):5000/"])
            #expect(gone.status != 0, "the process no longer answers")
            // Other tests' apps are called demo too: look for containers of this platform only.
            let containers = try await runProgram("/usr/sbin/runc", ["list", "--format", "json"])
            #expect(!containers.stdout.contains(sandbox.platform.dataDirectory), "\(containers.stdout)")
        }
    }
}

extension PushSandbox {
    /// demo's processes, once every one of them is up (the deploy waited for web ones already).
    func processes() async throws -> [ProcessResource] {
        try await eventually("demo's processes up") {
            let processes = try await client.processes(app: "demo")
            return processes.allSatisfy({ $0.state == "up" && $0.ip != nil }) ? processes : nil
        }
    }

    /// What the process answers on its address (on the test platform's own bridge).
    func answer(of process: ProcessResource) async throws -> String {
        let address = try #require(process.ip)
        try #require(address.hasPrefix("10.215."), "only the test platform's own subnet is contacted")
        let result = try await runProgram("/usr/bin/curl", ["--noproxy", "*", "-sS", "--max-time", "5", "http://\(address):5000/"])
        return result.status == 0 ? result.stdout : "curl failed: \(result.stderr)"
    }
}
