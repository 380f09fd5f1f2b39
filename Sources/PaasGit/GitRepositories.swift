#if canImport(Glibc)
import Glibc
#endif
import PaasSupport

/// The bare repositories of the apps, one per app at `<root>/<app>.git`, each with the platform's
/// pre-receive hook and settings. Made on the first push or fetch, removed with the app.
public struct GitRepositories: Sendable {
    /// The directory holding the repositories (`<data-dir>/git`).
    public let root: String
    /// Pushes whose pack is larger than this are refused by git itself (`receive.maxInputSize`).
    public let maxPushSize: Int64

    public init(root: String, maxPushSize: Int64 = 1 << 30) {
        self.root = root
        self.maxPushSize = maxPushSize
    }

    /// Where the app's repository lives (whether or not it exists yet).
    public func path(of app: String) -> String { "\(root)/\(app).git" }

    /// The app's repository, created and configured if needed. Safe to call concurrently and
    /// repeatedly: the settings and the hook are rewritten each time, so upgrades reach old repos.
    public func prepare(_ app: String) async throws -> String {
        let path = path(of: app)
        mkdir(root, 0o700)
        if access(path + "/HEAD", F_OK) != 0 {
            try await Command.run("git", ["init", "--quiet", "--bare", "--initial-branch=main", path])
        }
        let settings: [(String, String)] = [
            ("receive.maxInputSize", String(maxPushSize)),
            ("receive.denyNonFastForwards", "false"),
            ("receive.denyDeletes", "false"),
            ("receive.fsckObjects", "true"),
            ("http.receivepack", "true"),
            ("uploadpack.allowFilter", "true"),
            ("gc.auto", "0"),
        ]
        for (key, value) in settings {
            try await Command.run("git", ["--git-dir", path, "config", key, value])
        }
        try writeHook(into: path)
        return path
    }

    /// Removes the app's repository; a missing one is not an error.
    public func remove(_ app: String) async throws {
        let path = path(of: app)
        guard access(path, F_OK) == 0 else { return }
        try await Command.run("rm", ["-rf", "--", path])
    }

    private func writeHook(into repository: String) throws {
        let hook = repository + "/hooks/pre-receive"
        try SecretFile.write(PreReceiveHook.script, to: hook)
        chmod(hook, 0o700)
    }
}
