// Runs the built `paas` binary against a temporary platform, isolated from the developer's own
// config: HOME, PAAS_CONFIG and the working directory all live in a temporary directory.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

/// A temporary platform plus a sandbox for running `paas` in it.
struct CLISandbox: Sendable {
    let platform: TestPlatform
    /// The temporary directory holding HOME, the config file and working directories.
    let root: String

    /// The config file every run uses (`PAAS_CONFIG`).
    var configPath: String { root + "/config/paas/config.json" }
    /// A working directory that is not inside any git repository.
    var plainDirectory: String { root + "/plain" }

    /// Starts a platform and a sandbox, runs `body`, then removes both.
    static func withRunning(
        builds: Bool = false, runs: Bool = false, trixie: Bool = false, _ body: (CLISandbox) async throws -> Void
    ) async throws {
        try await TestPlatform.withRunning(builds: builds, runs: runs, trixie: trixie) { platform in
            let root = try TemporaryDirectory.make(prefix: "paas-cli-test")
            defer { TemporaryDirectory.remove(root) }
            for directory in ["home", "plain"] {
                try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
            }
            try await body(CLISandbox(platform: platform, root: root))
        }
    }

    /// Runs `paas arguments`. By default the API URL and admin token come from the environment;
    /// `loggedIn: false` leaves both to the config file.
    func paas(
        _ arguments: String..., loggedIn: Bool = true, in directory: String? = nil,
        environment extra: [String: String] = [:], stdin: String? = nil
    ) async throws -> ProgramResult {
        try await run(arguments, loggedIn: loggedIn, in: directory, environment: extra, stdin: stdin)
    }

    /// `paas(_:)` with the arguments as an array.
    func run(
        _ arguments: [String], loggedIn: Bool = true, in directory: String? = nil,
        environment extra: [String: String] = [:], stdin: String? = nil
    ) async throws -> ProgramResult {
        var environment = [
            "HOME": root + "/home",
            "PAAS_CONFIG": configPath,
            "PAAS_API_URL": loggedIn ? platform.apiURL : "",
            "PAAS_TOKEN": loggedIn ? platform.adminToken : "",
            "PAAS_APP": "",
            "NO_COLOR": "1",
            // git must never find a repository above the sandbox (the package's own, say).
            "GIT_CEILING_DIRECTORIES": root,
            "GIT_CONFIG_NOSYSTEM": "1",
        ]
        environment.merge(extra) { _, new in new }
        return try await runProgram(
            TestBinaries.path("paas"), arguments, environment: environment,
            workingDirectory: directory ?? plainDirectory, stdin: stdin)
    }

    /// Creates an app through the API (not the CLI) and returns its name.
    @discardableResult
    func createApp(_ name: String) async throws -> String {
        try await platform.client.createApp(name: name).name
    }

    /// A new git work tree inside the sandbox.
    func makeGitRepository(_ name: String) async throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try await git(["init", "-q"], in: path)
        try #require(result.status == 0, "git init failed: \(result.stderr)")
        return path
    }

    /// Runs git in `directory` with the sandbox's HOME.
    func git(_ arguments: [String], in directory: String) async throws -> ProgramResult {
        try await runProgram(
            "/usr/bin/env", ["git"] + arguments,
            environment: ["HOME": root + "/home", "GIT_CEILING_DIRECTORIES": root, "GIT_CONFIG_NOSYSTEM": "1"],
            workingDirectory: directory)
    }
}

extension ProgramResult {
    /// stdout split into lines, without the final empty one.
    var lines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Decodes stdout as the API's JSON.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try APICoding.makeDecoder().decode(type, from: Data(stdout.utf8))
    }
}
