#if canImport(Glibc)
import Glibc
#endif
import PaasClient
import PaasTesting
import Testing

/// `paasd up` as an operator runs it: a real process on a temporary data directory.
@Suite(.tags(.large)) struct PaasdUpTests {
    @Test func restartKeepsAppsReleasesAndTheAdminToken() async throws {
        let dataDirectory = try TemporaryDirectory.make(prefix: "paasd-up")
        defer { TemporaryDirectory.remove(dataDirectory) }
        let port = try FreePort.find()
        let apiURL = "http://127.0.0.1:\(port)"

        let first = try await PaasdProcess.start(dataDirectory: dataDirectory, port: port)
        let token = try readFile(dataDirectory + "/admin-token").trimmingWhitespace
        #expect(token.hasPrefix("paas_"))
        #expect(try fileMode(dataDirectory + "/admin-token") == 0o600)
        #expect(first.output.contains("paas login --api \(apiURL)"))
        #expect(!first.output.contains(token), "the token must not be printed")

        let client = ControllerClient(baseURL: apiURL, token: token)
        _ = try await client.createApp(name: "survivor")
        _ = try await client.updateConfig(app: "survivor", ["COLOR": "blue"])
        _ = try await client.scale(app: "survivor", ["web": 2])
        let releasesBefore = try await client.releases(app: "survivor")
        let status = try await first.stop()
        #expect(status == 0, "paasd exits cleanly on SIGTERM")
        #expect(!postgresRuns(in: dataDirectory), "PostgreSQL is stopped with paasd")

        let second = try await PaasdProcess.start(dataDirectory: dataDirectory, port: port)
        #expect(try readFile(dataDirectory + "/admin-token").trimmingWhitespace == token)
        #expect(!second.output.contains("created an admin token"))
        #expect(try await client.apps().map(\.name) == ["survivor"])
        #expect(try await client.releases(app: "survivor") == releasesBefore)
        #expect(try await client.config(app: "survivor") == ["COLOR": "blue"])
        #expect(try await client.formation(app: "survivor").map(\.quantity) == [2])
        #expect(try await second.stop() == 0)
    }

    @Test func refusesBadSettingsWithAClearMessage() async throws {
        let result = try await runProgram(TestBinaries.path("paasd"), ["up", "--api-listen", "nonsense"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--api-listen takes HOST:PORT"))
    }

    @Test func refusesAnAddonAdminURLThatDoesNotParseWithoutPrintingIt() async throws {
        let result = try await runProgram(TestBinaries.path("paasd"), ["up", "--mysql-admin-url", "root-s3cret-db"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--mysql-admin-url takes SCHEME://USER:PASSWORD@HOST"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret"), "the value may hold a password")
    }
}

/// A `paasd up` child process, started and stopped by PID.
struct PaasdProcess {
    let process: SpawnedProcess
    let logPath: String
    let output: String

    /// Starts paasd and waits until its API answers.
    static func start(dataDirectory: String, port: Int, arguments extra: [String] = []) async throws -> PaasdProcess {
        // The router on ports of its own, so that paasd processes of parallel tests do not collide.
        let router = ["--http-port", String(try FreePort.find()), "--https-port", "0", "--router-admin-port", "0"]
        let (process, logPath) = try spawn(
            ["up", "--data-dir", dataDirectory, "--api-listen", "127.0.0.1:\(port)"] + router + extra, logDirectory: dataDirectory)
        let client = ControllerClient(baseURL: "http://127.0.0.1:\(port)", token: nil)
        // The login line comes right after the API is ready.
        return try await waitUntil(process, logPath: logPath, line: "paasd: log in with:") { (try? await client.health()) != nil }
    }

    /// Starts `paasd runner` for `controller` and waits until it has registered as `name`.
    static func startRunner(dataDirectory: String, name: String, controller: ControllerClient, token: String, arguments extra: [String]) async throws -> PaasdProcess {
        // The token from a 0600 file, never on the command line (where ps shows it).
        let tokenFile = dataDirectory + "/controller-token"
        try TestFiles.write(token + "\n", to: tokenFile, mode: 0o600)
        let (process, logPath) = try spawn(
            ["runner", "--data-dir", dataDirectory, "--controller", controller.baseURL, "--token-file", tokenFile, "--name", name] + extra,
            logDirectory: dataDirectory)
        return try await waitUntil(process, logPath: logPath, line: "paasd: runner \(name) registered") { true }
    }

    /// Starts paasd with `arguments`, its output in a new log file under `logDirectory`.
    private static func spawn(_ arguments: [String], logDirectory: String) throws -> (SpawnedProcess, String) {
        let logPath = logDirectory + "/paasd-\(UInt32.random(in: 0...UInt32.max)).log"
        return (try SpawnedProcess.start(TestBinaries.path("paasd"), arguments, log: logPath, logMode: 0o600), logPath)
    }

    /// Waits until `ready` says so and paasd printed `line`, or paasd exits.
    private static func waitUntil(
        _ process: SpawnedProcess, logPath: String, line: String, ready: () async -> Bool
    ) async throws -> PaasdProcess {
        do {
            return try await eventually("paasd answering", state: { (try? readFile(logPath)) ?? "" }) {
                if process.exitStatus() != nil {
                    throw TestFailure("paasd exited during start-up: \((try? readFile(logPath)) ?? "")")
                }
                guard await ready(), let output = try? readFile(logPath), output.contains(line) else { return nil }
                return PaasdProcess(process: process, logPath: logPath, output: output)
            }
        } catch {
            await process.stop(signal: SIGKILL)
            throw error
        }
    }

    /// Kills paasd at once (SIGKILL), as a crash or an OOM kill would, and reaps it.
    func kill9() async {
        await process.stop(signal: SIGKILL)
    }

    /// Sends SIGTERM and returns the exit status.
    func stop() async throws -> Int32 {
        let end = await process.stop(grace: .seconds(30))
        if end.killed { throw TestFailure("paasd did not stop within 30 s of SIGTERM") }
        return end.status
    }
}

func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw TestFailure("cannot read \(path)") }
    defer { fclose(file) }
    var contents = ""
    var buffer = [CChar](repeating: 0, count: 4096)
    while fgets(&buffer, Int32(buffer.count), file) != nil { contents += String(cString: buffer) }
    return contents
}

func fileMode(_ path: String) throws -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { throw TestFailure("cannot stat \(path)") }
    return info.st_mode & 0o777
}

/// Whether a PostgreSQL postmaster still runs on the data directory (its pid file exists and the pid lives).
func postgresRuns(in dataDirectory: String) -> Bool {
    guard let contents = try? readFile(dataDirectory + "/postgres/postmaster.pid"),
        let pid = contents.split(separator: "\n").first.flatMap({ pid_t($0) })
    else { return false }
    return kill(pid, 0) == 0
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
