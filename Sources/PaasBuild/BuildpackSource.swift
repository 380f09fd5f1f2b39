import PaasContainers
import PaasSupport

/// Where a buildpack comes from: one of the built-in buildpacks, a directory on the host, or a
/// git repository (cloned on the host for each build).
///
/// Entries of `BUILDPACK_URL` and `.buildpacks` are parsed with `init(entry:builtinPath:)`:
/// the name of a built-in buildpack (`python`) or a directory inside the built-in buildpacks
/// directory is `.builtin` (so that it finds the shared `lib/common.sh`); another absolute path
/// is `.directory`; a URL (`https://…`, `file://…`, `git@host:…`, anything ending in `.git`) is
/// `.git`, with an optional `#ref` (a branch, tag or commit).
public enum BuildpackSource: Sendable, Equatable {
    case builtin(name: String)
    case directory(path: String)
    case git(url: String, ref: String?)

    /// Parses one entry; nil for a relative path or a name that is no built-in buildpack.
    public init?(entry: String, builtinPath: String) {
        let entry = entry.trimmed
        if entry.contains("://") || entry.hasPrefix("git@") || entry.hasSuffix(".git") || entry.contains(".git#") {
            let parts = entry.split(separator: "#", maxSplits: 1)
            let ref = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
            self = .git(url: String(parts[0]), ref: ref)
            return
        }
        let builtinRoot = builtinPath.hasSuffix("/") ? String(builtinPath.dropLast()) : builtinPath
        var name = entry
        if entry.hasPrefix(builtinRoot + "/") { name = String(entry.dropFirst(builtinRoot.count + 1)) }
        while name.hasSuffix("/") { name.removeLast() }
        if !name.isEmpty, !name.contains("/"), name != "lib", name != "test",
            HostFiles.exists(builtinRoot + "/" + name + "/bin/detect")
        {
            self = .builtin(name: name)
        } else if entry.hasPrefix("/") {
            self = .directory(path: entry)
        } else {
            return nil
        }
    }

    /// How the buildpack is named in build results and messages: the built-in name, the path,
    /// or the URL without credentials.
    public var displayName: String {
        switch self {
        case .builtin(let name): name
        case .directory(let path): path
        case .git(let url, let ref): Self.redacted(url) + (ref.map { "#\($0)" } ?? "")
        }
    }

    /// Makes the buildpack available on the host; returns its directory. Git buildpacks are
    /// cloned into `scratch` (which must not exist) with the host's `git`, shallowly when the
    /// ref is a branch or tag.
    func fetch(builtinPath: String, into scratch: String) async throws -> String {
        let directory: String
        switch self {
        case .builtin(let name):
            directory = builtinPath + "/" + name
        case .directory(let path):
            directory = path
        case .git(let url, let ref):
            try await clone(url, ref: ref, into: scratch)
            directory = scratch
        }
        guard HostFiles.exists(directory + "/bin/compile") else {
            throw BuildError(
                code: BuildError.Code.buildpackUnavailable,
                message: "buildpack \(displayName) has no bin/compile")
        }
        return directory
    }

    private func clone(_ url: String, ref: String?, into directory: String) async throws {
        let environment = ["GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "/bin/true"]
        var shallow = ["clone", "--quiet", "--depth", "1"]
        if let ref { shallow += ["--branch", ref] }
        do {
            try await Command.run("git", shallow + ["--", url, directory], environment: environment)
            return
        } catch {
            // A commit id is no branch or tag: fetch the whole history and check it out. A ref
            // that git would read as an option is not one (git 2.39's checkout has no
            // --end-of-options).
            guard let ref, !ref.hasPrefix("-") else { throw unavailable(error) }
            try? HostFiles.remove(directory)
            do {
                try await Command.run("git", ["clone", "--quiet", "--", url, directory], environment: environment)
                try await Command.run(
                    "git", ["-C", directory, "checkout", "--quiet", "--detach", ref], environment: environment)
            } catch {
                throw unavailable(error)
            }
        }
    }

    private func unavailable(_ error: any Error) -> BuildError {
        BuildError(
            code: BuildError.Code.buildpackUnavailable,
            message: "cannot fetch buildpack \(displayName)",
            cause: (error as? Command.Failure).map { failure in
                guard case .git(let url, _) = self else { return ProgramFailure(text: failure.output) }
                return ProgramFailure(text: failure.output.replacing(url, with: Self.redacted(url)))
            })
    }

    /// `url` without the `user:password@` part.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
            !url[scheme.upperBound..<at].contains("/")
        else { return url }
        return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
    }
}
