// Add-ons used by a pushed app from its container: the app reaches the managed servers at
// `<kind>.addons.internal` through the runner's DNS discovery, with the URLs it was given.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct AddonsDeployTests {
    /// A web app that writes and reads rows in each kind of add-on, with the drivers from PyPI.
    static let databaseApp: [String: String] = [
        "requirements.txt": "PyMySQL\npg8000\nredis\n",
        "Procfile": "web: python server.py\n",
        "server.py": """
            import os, socketserver, http.server, urllib.parse

            def url(name):
                return urllib.parse.urlparse(os.environ[name])

            def write(kind, value):
                if kind == "mysql":
                    import pymysql
                    u = url("DATABASE_URL")
                    db = pymysql.connect(host=u.hostname, port=u.port, user=u.username, password=u.password,
                                         database=u.path[1:], autocommit=True)
                    with db.cursor() as c:
                        c.execute("CREATE TABLE IF NOT EXISTS items (v VARCHAR(100))")
                        c.execute("INSERT INTO items VALUES (%s)", (value,))
                elif kind == "postgresql":
                    import pg8000.native
                    u = url("POSTGRES_URL")
                    db = pg8000.native.Connection(u.username, host=u.hostname, port=u.port, password=u.password,
                                                  database=u.path[1:])
                    db.run("CREATE TABLE IF NOT EXISTS items (v text)")
                    db.run("INSERT INTO items VALUES (:v)", v=value)
                else:
                    import redis
                    redis.Redis.from_url(os.environ["REDIS_URL"]).rpush("items", value)

            def read(kind):
                if kind == "mysql":
                    import pymysql
                    u = url("DATABASE_URL")
                    db = pymysql.connect(host=u.hostname, port=u.port, user=u.username, password=u.password,
                                         database=u.path[1:])
                    with db.cursor() as c:
                        c.execute("SELECT v FROM items ORDER BY v")
                        return [row[0] for row in c.fetchall()]
                if kind == "postgresql":
                    import pg8000.native
                    u = url("POSTGRES_URL")
                    db = pg8000.native.Connection(u.username, host=u.hostname, port=u.port, password=u.password,
                                                  database=u.path[1:])
                    return [row[0] for row in db.run("SELECT v FROM items ORDER BY v")]
                import redis
                return [v.decode() for v in redis.Redis.from_url(os.environ["REDIS_URL"]).lrange("items", 0, -1)]

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    parts = urllib.parse.urlparse(self.path)
                    query = dict(urllib.parse.parse_qsl(parts.query))
                    try:
                        if parts.path == "/write":
                            write(query["kind"], query["value"])
                            body = "ok"
                        else:
                            body = ",".join(read(query["kind"]))
                        status = 200
                    except Exception as error:
                        body, status = "error: %s" % type(error).__name__, 500
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body.encode())))
                    self.end_headers()
                    self.wfile.write(body.encode())

                def log_message(self, *args):
                    pass

            socketserver.TCPServer.allow_reuse_address = True
            with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
                server.serve_forever()

            """,
    ]

    @Test func aPushedAppUsesEachKindOfAddonFromItsContainerAndOtherAppsCredentialsAreRefused() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            let push = try await sandbox.push(try await sandbox.workTree(files: Self.databaseApp))
            #expect(push.status == 0, "\(push.stderr)")
            for kind in ["mysql", "postgresql", "redis"] {
                let addon = try await sandbox.client.addAddon(app: "demo", kind: kind)
                let process = try #require(try await sandbox.processes().first)
                #expect(process.release == addon.release, "attaching \(kind) restarted the app")
                #expect(try await sandbox.answer(of: process, path: "/write?kind=\(kind)&value=row-\(kind)") == "ok")
                #expect(try await sandbox.answer(of: process, path: "/read?kind=\(kind)") == "row-\(kind)")
            }
            let config = try await sandbox.client.config(app: "demo")
            #expect(config["MYSQL_URL"]?.contains("@mysql.addons.internal:") == true, "URLs name the stable host")
            #expect(config["DATABASE_URL"] == config["MYSQL_URL"])

            // Another app's credentials reach the server but not demo's database.
            let address = try #require(try await sandbox.processes().first?.ip)
            let gateway = address.split(separator: ".").prefix(3).joined(separator: ".") + ".1"
            _ = try await sandbox.client.createApp(name: "other")
            for (kind, variable) in [("mysql", "MYSQL_URL"), ("postgresql", "POSTGRES_URL")] {
                _ = try await sandbox.client.addAddon(app: "other", kind: kind)
                let others = try await sandbox.client.config(app: "other")
                let demo = try DatabaseURLClient(configVar: variable, of: config, host: gateway)
                let other = try DatabaseURLClient(configVar: variable, of: others, host: gateway)
                #expect(try await demo.canConnect())
                #expect(try await other.canConnect())
                #expect(try await demo.withCredentials(of: other).canConnect() == false, "\(kind): other's user entered demo's database")
            }
        }
    }
}

extension AddonsDeployTests {
    @Test func addOnsKeepWorkingWhenThePlatformRestarts() async throws {
        let directory = try TemporaryDirectory.make(prefix: "paas-restart")
        defer { TemporaryDirectory.remove(directory) }
        let work = try TemporaryDirectory.make(prefix: "paas-restart-work")
        defer { TemporaryDirectory.remove(work) }
        try await TestPlatform.withRunning(builds: true, runs: true, keeping: directory) { platform in
            let sandbox = PushSandbox(platform: platform, root: work)
            _ = try await platform.client.createApp(name: "demo")
            #expect(try await sandbox.push(try await sandbox.workTree(files: Self.databaseApp)).status == 0)
            _ = try await platform.client.addAddon(app: "demo", kind: "mysql")
            let process = try #require(try await sandbox.processes().first)
            #expect(try await sandbox.answer(of: process, path: "/write?kind=mysql&value=kept") == "ok")
        }
        // The same data directory again: the database server and the app come back.
        try await TestPlatform.withRunning(builds: true, runs: true, keeping: directory) { platform in
            let sandbox = PushSandbox(platform: platform, root: work)
            var answer = ""
            // A wrong answer (the row lost) keeps it waiting until the guard fails it, saying what it read.
            try await eventually("after the restart the app reads its row", interval: .milliseconds(200), state: { answer }) {
                if let process = try await sandbox.processes().first, process.ip != nil {
                    answer = try await sandbox.answer(of: process, path: "/read?kind=mysql")
                }
                return answer == "kept" ? () : nil
            }
            #expect(answer == "kept", "after the restart the app reads its row: \(answer)")
        }
    }
}

extension PushSandbox {
    /// What the process answers at `path` on its address (on the test platform's own bridge).
    func answer(of process: ProcessResource, path: String) async throws -> String {
        let address = try #require(process.ip)
        try #require(address.hasPrefix("10.215."), "only the test platform's own subnet is contacted")
        let result = try await runProgram(
            "/usr/bin/curl", ["--noproxy", "*", "-sS", "--max-time", "10", "http://\(address):5000\(path)"])
        return result.status == 0 ? result.stdout : "curl failed: \(result.stderr)"
    }
}
