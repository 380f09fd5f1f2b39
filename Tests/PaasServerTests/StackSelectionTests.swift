// Two stacks on real parts: an app builds and runs on bookworm (Python 3.11) until
// `stack:set trixie` and a push move it to trixie (Python 3.13); a rollback to the bookworm
// release runs on bookworm again; `--default-stack trixie` gives new apps trixie.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct StackSelectionTests {
    /// A web app that answers with its release and the version of the Python running it.
    static let pythonVersionApp: [String: String] = [
        "Procfile": "web: python3 server.py\n",
        "server.py": """
            import os, sys, socketserver, http.server

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = (os.environ["PAAS_RELEASE"] + " python " + sys.version.split()[0]).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, *args):
                    pass

            socketserver.TCPServer.allow_reuse_address = True
            with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
                server.serve_forever()

            """,
    ]

    /// A buildpack that says which stack it builds on, what `PAAS_STACKS` holds, which Python
    /// the build container has and whether the previous build's cache came along.
    static let reportingCompile = """
        echo "-----> STACK=$STACK"
        echo "-----> PAAS_STACKS=$PAAS_STACKS"
        echo "-----> build python $(python3 -c 'import sys; print(sys.version.split()[0])')"
        if [ -f "$2/marker" ]; then echo "-----> cache from $(cat "$2/marker")"; else echo "-----> cache empty"; fi
        echo "$STACK" > "$2/marker"
        """

    @Test func anAppMovesToTrixieWithStackSetAndAPushAndARollbackRunsOnBookwormAgain() async throws {
        try await PushSandbox.withRunning(runs: true, trixie: true) { sandbox in
            try await sandbox.useThirdPartyBuildpack(
                named: "Reporter", compile: Self.reportingCompile, release: "echo '--- {}'")
            #expect(try await sandbox.client.app("demo").stack == "bookworm")
            let tree = try await sandbox.workTree(files: Self.pythonVersionApp)

            let first = try await sandbox.push(tree)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("remote: -----> Building on the bookworm stack"))
            #expect(first.stderr.contains("remote: -----> STACK=bookworm"))
            #expect(first.stderr.contains("remote: -----> build python 3.11."))
            #expect(first.stderr.contains("remote: -----> cache empty"))
            let stacks = try #require(first.stderr.split(separator: "\n").first { $0.contains("PAAS_STACKS=") })
            #expect(stacks.contains("PAAS_STACKS=bookworm:python=3.11."), "\(stacks)")
            #expect(stacks.contains(" trixie:python=3.13."), "\(stacks)")
            #expect(stacks.contains(",go=1.24."), "\(stacks)")
            #expect(stacks.contains(",go=1.19."), "\(stacks)")
            #expect(try await sandbox.client.release(app: "demo", version: 3).stack == "bookworm")
            #expect(try await sandbox.answer(of: try await sandbox.processes()[0]).hasPrefix("v3 python 3.11."))

            // The next build uses trixie; until then the running release stays on bookworm.
            let moved = try await sandbox.client.updateApp("demo", AppUpdateRequest(stack: "trixie"))
            #expect(moved.stack == "trixie")
            #expect(try await sandbox.processes().map(\.id) == ["demo.v3.web.1"])

            // An empty commit, as on Heroku: the same tree may make the same slug on both stacks,
            // and each release still runs on the stack it was built on.
            try await tree.commit([:], message: "rebuild on trixie")
            let second = try await sandbox.push(tree)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("remote: -----> Building on the trixie stack"))
            #expect(second.stderr.contains("remote: -----> STACK=trixie"))
            #expect(second.stderr.contains("remote: -----> build python 3.13."))
            #expect(second.stderr.contains("remote: -----> Stack changed from bookworm to trixie: building without the previous build cache"))
            #expect(second.stderr.contains("remote: -----> cache empty"), "bookworm's cache stayed out of the trixie build")
            #expect(try await sandbox.client.release(app: "demo", version: 4).stack == "trixie")
            let onTrixie = try await sandbox.processes()
            #expect(onTrixie.map(\.id) == ["demo.v4.web.1"])
            #expect(try await sandbox.answer(of: onTrixie[0]).hasPrefix("v4 python 3.13."))

            // A build on the same stack gets the cache back.
            try await tree.commit(["README": "again\n"], message: "again")
            let third = try await sandbox.push(tree)
            #expect(third.status == 0, "\(third.stderr)")
            #expect(third.stderr.contains("remote: -----> cache from trixie"))

            // Rolling back to the bookworm release runs it on bookworm; the app's next build stays trixie.
            let rollback = try await sandbox.client.rollback(app: "demo", to: 3)
            #expect(rollback.stack == "bookworm")
            let back = try await sandbox.processes()
            #expect(back.map(\.id) == ["demo.v6.web.1"])
            #expect(try await sandbox.answer(of: back[0]).hasPrefix("v6 python 3.11."))
            #expect(try await sandbox.client.app("demo").stack == "trixie")
        }
    }

    @Test func theDefaultStackIsTheStackOfNewApps() async throws {
        try await PushSandbox.withRunning(runs: true, trixie: true, defaultStack: "trixie") { sandbox in
            #expect(try await sandbox.client.app("demo").stack == "trixie")
            let stacks = try await sandbox.client.stacks()
            #expect(stacks.map(\.name) == ["bookworm", "trixie"])
            #expect(stacks.map(\.default) == [false, true])
            #expect(stacks[1].versions["python"]?.hasPrefix("3.13.") == true, "\(stacks)")
            #expect(stacks[1].versions["go"]?.hasPrefix("1.24.") == true, "\(stacks)")
            #expect(stacks[0].versions["node"]?.hasPrefix("18.") == true, "\(stacks)")
            #expect(try await sandbox.client.createApp(name: "older", stack: "bookworm").stack == "bookworm")

            let push = try await sandbox.push(try await sandbox.workTree(files: Self.pythonVersionApp))
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stderr.contains("remote: -----> Building on the trixie stack"))
            #expect(try await sandbox.client.release(app: "demo", version: 2).stack == "trixie")
            #expect(try await sandbox.answer(of: try await sandbox.processes()[0]).hasPrefix("v2 python 3.13."))
        }
    }
}
