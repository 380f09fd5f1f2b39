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
    /// What `exportTree` accepts.
    var limits = Push.TreeLimits()

    func authenticate(token: String) async throws -> String? { token == Self.token ? "tester" : nil }

    func appExists(_ app: String) async throws -> Bool { app == Self.app }

    func deploy(_ push: Push, output: PushOutput) async -> PushVerdict {
        let directory = NSTemporaryDirectory() + "paas-git-export-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try await push.exportTree(to: directory, limits: limits)
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
        // The hook's curl is running now: record any command line that carries the push's secrets.
        exported.leakedCommandLines.withLock { $0 += Self.commandLinesNamingPushSecrets() }
        output.line("-----> Fake build of \(push.update.newCommit.prefix(7)) by \(push.actor)")
        output.line("       \(files.count) files")
        if files.contains("FAIL") { return .rejected("build failed: the app asked to fail") }
        return .accepted
    }
}

extension ScriptedPushHandler {
    /// The command lines of this test process's descendants (git, its hook, curl) that hold a
    /// bearer token or the hook's callback URL, as any local user could read them in /proc (ps).
    static func commandLinesNamingPushSecrets() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.compactMap { pid in
            guard isDescendant(pid), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            return line.contains("Bearer") || line.contains("/internal/git/pushes") ? line : nil
        }
    }

    /// Whether `pid` descends from this process (its parents in /proc/PID/stat lead here).
    private static func isDescendant(_ pid: Int32) -> Bool {
        var current = pid
        for _ in 0..<64 {
            guard let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // "pid (comm) state ppid ...": the name may hold spaces, so read after its ")".
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]), parent > 1 else { return false }
            if parent == getpid() { return true }
            current = parent
        }
        return false
    }
}

/// The files of the trees the handler exported, by path, and what it saw during deploys.
final class ExportedFiles: Sendable {
    let files = Mutex<[String: String]>([:])
    /// Command lines seen during deploys that carried the push's URL or token (should be none).
    let leakedCommandLines = Mutex<[String]>([])
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

    static func withRunning(
        maxPushSize: Int64 = 1 << 30, treeLimits: Push.TreeLimits = Push.TreeLimits(), _ body: (GitServer) async throws -> Void
    ) async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-git-test")
        defer { TemporaryDirectory.remove(root) }
        var logger = Logger(label: "paas-git-test")
        logger.logLevel = .critical
        let repositories = GitRepositories(root: root + "/repos", maxPushSize: maxPushSize)
        var handler = ScriptedPushHandler()
        handler.limits = treeLimits
        let receiver = GitReceiver(repositories: repositories, handler: handler, logger: logger)
        let router = Router()
        receiver.addRoutes(to: router)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in readyContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await withServing(application, logger: logger) {
            var iterator = ready.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let baseURL = "http://127.0.0.1:\(port)"
            receiver.serverIsListening(at: baseURL)
            try await body(GitServer(baseURL: baseURL, root: root, repositories: repositories, handler: handler))
        }
    }

    /// A work tree with `files` committed on `main`.
    func makeWorkTree(_ name: String, files: [String: String]) async throws -> GitWorkTree {
        try await GitWorkTree.create(at: root + "/" + name, home: root + "/home", files: files)
    }

    /// The commit `ref` names in the app's bare repository, or nil.
    func serverRevision(_ ref: String) async throws -> String? {
        let result = try await runProgram(
            "/usr/bin/env", ["git", "--git-dir", repositories.path(of: ScriptedPushHandler.app), "rev-parse", "--verify", "-q", ref])
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
}
