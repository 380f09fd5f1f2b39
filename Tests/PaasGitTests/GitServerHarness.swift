// A git server for tests: PaasGit's routes on a real Hummingbird server on a free port, with a
// scripted push handler, and helpers to drive the real `git` client against it.
import Foundation
import Hummingbird
import Logging
import PaasGit
import PaasTesting
import Synchronization
import Testing

/// Stands in for the controller: one token, one app, and a deploy that does what the pushed
/// tree asks (a `FAIL` file fails it) after exporting it, so tests see what the handler saw.
struct ScriptedPushHandler: GitPushHandler {
    static let token = "test-token-0123456789"
    static let app = "demo"
    let exported = ExportedFiles()

    func authenticate(token: String) async throws -> String? { token == Self.token ? "tester" : nil }

    func appExists(_ app: String) async throws -> Bool { app == Self.app }

    func deploy(_ push: Push, output: PushOutput) async -> PushVerdict {
        let directory = NSTemporaryDirectory() + "paas-git-export-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try await push.exportTree(to: directory)
        } catch {
            return .rejected("export failed: \(error)")
        }
        let files = ((try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        exported.files.withLock { state in
            for file in files {
                state[file] = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
            }
        }
        output.line("-----> Fake build of \(push.update.newCommit.prefix(7)) by \(push.actor)")
        output.line("       \(files.count) files")
        if files.contains("FAIL") { return .rejected("build failed: the app asked to fail") }
        return .accepted
    }
}

/// The files of the trees the handler exported, by path.
final class ExportedFiles: Sendable {
    let files = Mutex<[String: String]>([:])
}

/// A running git server and a sandbox for git clients.
struct GitServer: Sendable {
    let baseURL: String
    let root: String
    let repositories: GitRepositories
    let handler: ScriptedPushHandler

    /// The app's URL with credentials, as a remote.
    func remoteURL(token: String? = ScriptedPushHandler.token, app: String = ScriptedPushHandler.app) -> String {
        let base = baseURL.replacingOccurrences(of: "http://", with: "")
        guard let token else { return "http://\(base)/\(app).git" }
        return "http://paas:\(token)@\(base)/\(app).git"
    }

    static func withRunning(maxPushSize: Int64 = 1 << 30, _ body: (GitServer) async throws -> Void) async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-git-test")
        defer { TemporaryDirectory.remove(root) }
        var logger = Logger(label: "paas-git-test")
        logger.logLevel = .critical
        let repositories = GitRepositories(root: root + "/repos", maxPushSize: maxPushSize)
        let handler = ScriptedPushHandler()
        let receiver = GitReceiver(repositories: repositories, handler: handler, logger: logger)
        let router = Router()
        receiver.addRoutes(to: router)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in readyContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            var iterator = ready.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let baseURL = "http://127.0.0.1:\(port)"
            receiver.serverIsListening(at: baseURL)
            let server = GitServer(baseURL: baseURL, root: root, repositories: repositories, handler: handler)
            defer { group.cancelAll() }
            try await body(server)
        }
    }

    /// Runs git with a clean identity and no system or global config.
    func git(_ arguments: [String], in directory: String) async throws -> ProgramResult {
        try await runProgram(
            "/usr/bin/env", ["git"] + arguments,
            environment: [
                "HOME": root, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_CEILING_DIRECTORIES": root,
                "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            ],
            workingDirectory: directory)
    }

    /// A work tree with `files` committed on `main`; returns its path.
    func makeWorkTree(_ name: String, files: [String: String]) async throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await require(git(["init", "-q", "-b", "main"], in: path))
        try await commit(files, message: "initial", in: path)
        return path
    }

    /// Writes `files` and commits them.
    func commit(_ files: [String: String], message: String, in path: String) async throws {
        for (file, content) in files {
            let url = URL(fileURLWithPath: path + "/" + file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try await require(git(["add", "-A"], in: path))
        try await require(git(["commit", "-q", "-m", message], in: path))
    }

    /// The commit `ref` names in `directory`.
    func revision(_ ref: String, in directory: String) async throws -> String {
        try await require(git(["rev-parse", ref], in: directory)).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The commit `ref` names in the app's bare repository, or nil.
    func serverRevision(_ ref: String) async throws -> String? {
        let result = try await git(["--git-dir", repositories.path(of: ScriptedPushHandler.app), "rev-parse", "--verify", "-q", ref], in: root)
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @discardableResult
    private func require(_ result: ProgramResult) throws -> ProgramResult {
        try #require(result.status == 0, "git failed: \(result.stderr)")
        return result
    }
}
