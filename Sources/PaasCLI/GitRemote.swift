// The `paas` git remote of the current directory: how the CLI finds the app when no -a is given,
// and what apps:create / apps:destroy add and remove. Runs the `git` program.
import Foundation

/// Reads and changes git remotes of the repository containing the current directory.
enum GitRemote {
    /// The remote `apps:create` adds and app resolution reads.
    static let defaultName = "paas"

    /// Whether the current directory is inside a git work tree.
    static func isInsideWorkTree() -> Bool {
        git(["rev-parse", "--is-inside-work-tree"])?.output == "true"
    }

    /// The URL of the remote `name`, or nil (no repository, no such remote, or no git).
    static func url(named name: String) -> String? {
        guard let result = git(["remote", "get-url", name]), result.status == 0, !result.output.isEmpty else {
            return nil
        }
        return result.output
    }

    /// Points the remote `name` at `url`, adding it if needed. Returns true if it was added.
    @discardableResult
    static func setURL(_ url: String, named name: String) throws -> Bool {
        let exists = self.url(named: name) != nil
        try run(exists ? ["remote", "set-url", name, url] : ["remote", "add", name, url])
        return !exists
    }

    /// Makes git ask `paas git:credential` for the password of every URL under the API that
    /// `remoteURL` (`<api>/<app>.git`) belongs to, in this repository's config.
    static func useCredentialHelper(forRemoteURL remoteURL: String) throws {
        guard let slash = remoteURL.lastIndex(of: "/") else { return }
        let base = String(remoteURL[..<slash])
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "paas"
        // An empty helper first clears helpers from other config files for this URL (git's rule).
        try run(["config", "--replace-all", "credential.\(base).helper", ""])
        try run(["config", "--add", "credential.\(base).helper", "!'\(executable)' git:credential"])
    }

    /// Removes the remote `name`.
    static func remove(named name: String) throws {
        try run(["remote", "remove", name])
    }

    /// The app name in a git URL ending in `/<app>.git` (or `:<app>.git`), else nil.
    static func appName(fromURL url: String) -> String? {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasSuffix(".git") else { return nil }
        url.removeLast(4)
        guard let separator = url.lastIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        let name = String(url[url.index(after: separator)...])
        return name.isEmpty ? nil : name
    }

    private static func run(_ arguments: [String]) throws {
        guard let result = git(arguments), result.status == 0 else {
            throw CLIError(code: "git_failed", message: "'git \(arguments.joined(separator: " "))' failed.")
        }
    }

    /// Runs git in the current directory; nil when git cannot be started.
    private static func git(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (process.terminationStatus, text)
    }
}
