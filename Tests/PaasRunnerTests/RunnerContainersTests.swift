import Foundation
import Logging
import PaasAPI
import PaasBlobs
import PaasContainers
import PaasTesting
import Testing

@testable import PaasRunner

/// The runner with real parts: slugs from a blob store, run containers with runc, each in its own
/// network namespace on a test bridge.
@Suite(.tags(.large))
struct RunnerContainersTests {
    static let server = """
        import os, socketserver, http.server

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = " ".join([os.environ["DYNO"], os.environ["PAAS_APP"], os.environ["PAAS_RELEASE"],
                                 str(os.getuid()), os.environ.get("GREETING", "-")]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                print("served a request", flush=True)

        socketserver.TCPServer.allow_reuse_address = True
        with socketserver.TCPServer(("0.0.0.0", int(os.environ["PORT"])), Handler) as server:
            print("listening on", os.environ["PORT"], flush=True)
            server.serve_forever()

        """

    @Test func webProcessesRunFromTheSlugOnTheirOwnAddresses() async throws {
        try await TestNetwork.withPrepared { network in
            let root = try TemporaryDirectory.make(prefix: "paas-runner-e2e")
            defer { TemporaryDirectory.remove(root) }
            let app = "e2e" + String(UInt32.random(in: 0x1000...0xFFFF), radix: 16)
            let blobs = FilesystemBlobStore(root: root + "/blobs")
            let slug = try await Self.slug(files: ["server.py": Self.server, "Procfile": "web: python3 server.py\n"], in: root, blobs: blobs)
            let runner = try Self.runner(root: root, blobs: blobs, network: network)
            var started: [ProcessResource] = []
            do {
                for index in 1...2 {
                    _ = try await runner.start(
                        ProcessStartRequest(
                            app: app, release: 4, slugID: slug.sha256, type: "web", index: index, processTypes: [:],
                            env: ["PORT": "5000", "GREETING": "hi"]))
                }
                started = try await Self.waitUntilListening(runner, count: 2)
                let addresses = started.compactMap(\.ip)
                #expect(Set(addresses).count == 2, "each process has its own address: \(addresses)")
                for process in started {
                    let address = try #require(process.ip.flatMap(IPv4Address.init))
                    try await network.requireRouteThroughBridge(to: address)
                    let answer = try await fetch("http://\(address):5000/")
                    #expect(answer.stdout == "web.\(process.index) \(app) v4 10000 hi", "\(answer.stderr)")
                }
                let logs = try await runner.logs.recent(app: app, count: 50).map(\.formatted)
                #expect(logs.contains { $0.hasSuffix("app[web.1]: listening on 5000") }, "\(logs)")
                #expect(logs.contains { $0.hasSuffix("paas[web.2]: Started (v4)") }, "\(logs)")
            } catch {
                for process in await runner.processes() { try? await runner.stop(id: process.id, grace: .seconds(1)) }
                throw error
            }
            for process in started { try await runner.stop(id: process.id, grace: .seconds(5)) }
            #expect(await runner.processes().isEmpty)
            #expect(try await network.containers.observe().isEmpty, "no network namespace is left")
            let leftovers = try await ContainerRuntime().list().filter { $0.id.contains(app) }
            #expect(leftovers.isEmpty, "no container is left: \(leftovers)")
        }
    }

    @Test func waitingForThePortSaysWhyAProcessDidNotBoot() async throws {
        try await TestNetwork.withPrepared { network in
            let root = try TemporaryDirectory.make(prefix: "paas-runner-e2e")
            defer { TemporaryDirectory.remove(root) }
            let app = "e2e" + String(UInt32.random(in: 0x1000...0xFFFF), radix: 16)
            let blobs = FilesystemBlobStore(root: root + "/blobs")
            let slug = try await Self.slug(files: ["Procfile": "web: sleep 600\nworker: exit 1\n"], in: root, blobs: blobs)
            let runner = try Self.runner(root: root, blobs: blobs, network: network)
            func start(_ type: String) async throws -> String {
                try await runner.start(
                    ProcessStartRequest(app: app, release: 1, slugID: slug.sha256, type: type, index: 1, processTypes: [:], env: ["PORT": "5000"])
                ).id
            }
            let web = try await start("web")
            let worker = try await start("worker")
            await #expect { _ = try await runner.waitUntilListening(id: web, timeout: .seconds(2)) } throws: { error in
                (error as? RunnerError)?.message == "web.1 did not listen on $PORT (5000) within 2 s"
            }
            await #expect { _ = try await runner.waitUntilListening(id: worker, timeout: .seconds(120)) } throws: { error in
                (error as? RunnerError)?.message == "worker.1 exited with status 1 before it listened on $PORT"
            }
            for id in [web, worker] { try await runner.stop(id: id, grace: .seconds(2)) }
            #expect(try await network.containers.observe().isEmpty)
        }
    }

    static func runner(root: String, blobs: FilesystemBlobStore, network: TestNetwork) throws -> Runner {
        var logger = Logger(label: "runner-e2e")
        logger.logLevel = .critical
        let factory = ContainerLauncherFactory(
            configuration: .init(
                stackPath: try TestStacks.runStack(), slugRunnerPath: TestBinaries.packageRoot + "/slug-runner/slug-runner",
                containersDirectory: root + "/containers"),
            slugs: SlugCache(blobs: blobs, directory: root + "/slugs", logger: logger), network: network.containers,
            logger: logger)
        return Runner(factory: factory, logs: try LogStore(directory: root + "/logs"))
    }

    /// A slug of `files` (as `app/`) in `blobs`.
    static func slug(files: [String: String], in root: String, blobs: FilesystemBlobStore) async throws -> BlobID {
        let source = root + "/source"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for (name, content) in files { try content.write(toFile: source + "/" + name, atomically: true, encoding: .utf8) }
        _ = try SlugArchive.create(from: source, at: root + "/slug.tgz")
        return try await blobs.store(fileAt: root + "/slug.tgz")
    }

    /// Polls until `count` processes are up and answer on their port (the server prints first).
    static func waitUntilListening(_ runner: Runner, count: Int) async throws -> [ProcessResource] {
        try await eventually("\(count) processes listening", state: { "\(await runner.processes())" }) {
            let processes = await runner.processes()
            if let ended = processes.first(where: { $0.lastExit != nil }) {
                throw TestFailure("a process ended before it listened: \(ended)")
            }
            guard processes.count == count, processes.allSatisfy({ $0.state == "up" && $0.ip != nil }) else { return nil }
            for process in processes where try await fetch("http://\(process.ip!):5000/").status != 0 { return nil }
            return processes
        }
    }
}
