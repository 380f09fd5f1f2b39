import Foundation
import Subprocess

/// A git work tree for tests that push: files committed on `main`, git run with a fixed identity
/// and no system or user config (only `home`'s), never finding a repository above `ceiling`.
public struct GitWorkTree: Sendable {
    /// The work tree's directory.
    public let path: String
    /// HOME for git (its global config lives there).
    public let home: String

    /// An existing work tree at `path`.
    public init(path: String, home: String) {
        self.path = path
        self.home = home
    }

    /// A new repository at `path` on branch `main`, with a copy of `fixture` (a directory) and
    /// `files` committed, when there are any.
    public static func create(
        at path: String, home: String, copying fixture: String? = nil, files: [String: String] = [:],
        executables: Set<String> = []
    ) async throws -> GitWorkTree {
        let tree = GitWorkTree(path: path, home: home)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        if let fixture {
            try FileManager.default.copyItem(atPath: fixture, toPath: path)
        } else {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try await tree.require(["init", "-q", "-b", "main"])
        if fixture != nil || !files.isEmpty { try await tree.commit(files, executables: executables, message: "initial") }
        return tree
    }

    /// The environment git runs with here.
    public var environment: [String: String] {
        [
            "HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
            "GIT_CEILING_DIRECTORIES": (path as NSString).deletingLastPathComponent,
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        ]
    }

    /// Runs `git arguments` in the work tree.
    public func git(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ProgramResult {
        try await runProgram(
            "/usr/bin/env", ["git"] + arguments, environment: environment.merging(extra) { _, new in new }, workingDirectory: path)
    }

    /// Runs `git arguments`, handing each line of its standard error (where git prints progress
    /// and `remote:` lines) to `line` as it arrives. Returns git's exit status.
    public func streamGit(_ arguments: [String], line: (String) -> Void) async throws -> Int32 {
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(
            .name("git"), arguments: Arguments(arguments), environment: .inherit.updating(overrides),
            workingDirectory: .init(path), input: .none, output: .discarded, error: .sequence
        ) { execution in
            for try await text in execution.standardError.strings() { line(text) }
        }
        switch result.terminationStatus {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Writes `files` (path → content) and commits everything; files named in `executables`
    /// (or ending in `.sh`) are made executable first.
    public func commit(_ files: [String: String], executables: Set<String> = [], message: String) async throws {
        for (file, content) in files {
            let url = URL(fileURLWithPath: path + "/" + file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
            if executables.contains(file) || file.hasSuffix(".sh") {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        }
        try await require(["add", "-A"])
        try await require(["commit", "-q", "--allow-empty", "-m", message])
    }

    /// The commit `ref` names.
    public func revision(_ ref: String = "HEAD") async throws -> String {
        try await require(["rev-parse", ref]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git and fails the test machinery when it fails.
    @discardableResult
    public func require(_ arguments: [String]) async throws -> ProgramResult {
        let result = try await git(arguments)
        guard result.status == 0 else { throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result
    }
}
