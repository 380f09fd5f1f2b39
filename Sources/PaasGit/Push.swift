import PaasCore
import PaasSupport

/// One ref a push wants to change: `old new ref` as git's hooks see it.
public struct RefUpdate: Sendable, Equatable {
    public var oldCommit: String
    public var newCommit: String
    public var ref: String

    public init(oldCommit: String, newCommit: String, ref: String) {
        self.oldCommit = oldCommit
        self.newCommit = newCommit
        self.ref = ref
    }

    /// The branch name for `refs/heads/…`, else nil.
    public var branch: String? { ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil }
    /// Whether the push deletes the ref.
    public var isDeletion: Bool { newCommit.allSatisfy { $0 == "0" } }

    /// Whether both object ids are full hex ids (SHA-1 or SHA-256) and the ref a plain
    /// `refs/…` name: nothing that git or a shell could read as an option or a pattern.
    public var isWellFormed: Bool {
        Self.isObjectID(oldCommit) && Self.isObjectID(newCommit) && Self.isRefName(ref)
    }

    /// `^[0-9a-f]{40}$` or `^[0-9a-f]{64}$`.
    public static func isObjectID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64) && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// A ref name as `git check-ref-format` allows it, stricter: `refs/` + components of
    /// letters, digits and `-._/`, none empty or starting with `.` or `-`, no `..`, no `.lock` end.
    static func isRefName(_ ref: String) -> Bool {
        guard ref.hasPrefix("refs/"), ref.utf8.count <= 255, !ref.contains(".."), !ref.hasSuffix(".lock") else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/".utf8)
        guard ref.utf8.allSatisfy(allowed.contains) else { return false }
        return ref.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && !$0.hasPrefix(".") && !$0.hasPrefix("-")
        }
    }

    /// Parses the hook's standard input: one `old new ref` line per ref. Nil when any line is
    /// not of that shape or names something that is not an object id or a ref.
    static func parse(_ text: String) -> [RefUpdate]? {
        var updates: [RefUpdate] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            let update = RefUpdate(oldCommit: String(fields[0]), newCommit: String(fields[1]), ref: String(fields[2]))
            guard update.isWellFormed else { return nil }
            updates.append(update)
        }
        return updates
    }
}

/// A push that git has received but not applied yet: the ref to deploy, who pushed it, and a
/// way to read the pushed code. Handed to `GitPushHandler.deploy` while the push is still open.
public struct Push: Sendable {
    /// The app pushed to.
    public var app: String
    /// The owner of the token that pushed.
    public var actor: String
    /// The update of `main` (or `master`) that is to be deployed.
    public var update: RefUpdate
    let repository: String
    /// Where git keeps the pushed objects until the push is accepted (`GIT_QUARANTINE_PATH`).
    let quarantine: String?

    /// The most a pushed tree may expand to when exported, and the most entries it may hold: a
    /// few kilobytes of pack can describe gigabytes of files (one blob under many names).
    public struct TreeLimits: Sendable {
        /// Bytes of file contents, counting each path (Heroku caps a repository at 1 GB).
        public var bytes: Int64 = 1 << 30
        /// Files, symlinks and submodules.
        public var entries: Int = 200_000

        public init() {}
    }

    /// Writes the tree of the pushed commit into `directory` (which must not exist yet): the
    /// files only, no `.git`, as `git archive` exports them. A tree over `limits` is refused with
    /// `tree_too_large` before anything is written; its size is read from the tree objects
    /// (`git ls-tree`), stopping at the first entry over a limit.
    public func exportTree(to directory: String, limits: TreeLimits = TreeLimits()) async throws {
        var environment = ["GIT_DIR": repository]
        if let quarantine, !quarantine.isEmpty {
            environment["GIT_OBJECT_DIRECTORY"] = quarantine
            environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = repository + "/objects"
        }
        guard RefUpdate.isObjectID(update.newCommit) else {
            throw GitError(status: .badRequest, code: "invalid_object_id", message: "The pushed commit id is not a hex object id.")
        }
        try await checkSize(limits, environment: environment)
        try await Command.run(
            "sh", ["-c", "mkdir -- \"$2\" && git archive --format=tar \"$1\" | tar -x -C \"$2\"", "sh", update.newCommit, directory],
            environment: environment)
    }

    /// Sums the tree's entries and sizes in awk, which ends the listing (and git, by SIGPIPE)
    /// at the first entry over a limit, so a huge tree never reaches this process.
    private func checkSize(_ limits: TreeLimits, environment: [String: String]) async throws {
        let script = """
            git ls-tree -r -l "$1" | awk -v maxbytes="$2" -v maxentries="$3" '
              { entries++; if ($4 != "-") bytes += $4 }
              entries > maxentries || bytes > maxbytes { over = 1; exit }
              END { print (over ? "over" : "ok"), entries, bytes }'
            """
        let report = try await Command.run(
            "sh", ["-c", script, "sh", update.newCommit, String(limits.bytes), String(limits.entries)], environment: environment)
        let fields = report.split(whereSeparator: \.isWhitespace)
        guard fields.first == "over" else { return }
        let limit = ByteCount.describe(limits.bytes)
        throw GitError(
            status: .badRequest, code: "tree_too_large",
            message: "the pushed tree is larger than this platform accepts (\(limit) of files or \(limits.entries) files "
                + "at most); remove large or generated files from the repository (or list them in .gitignore) and push again")
    }
}

/// What the platform decided about a push.
public enum PushVerdict: Sendable, Equatable {
    /// git updates the ref.
    case accepted
    /// git refuses the push; the reason is shown as `! [remote rejected] main -> main (<reason>)`.
    case rejected(String)
}

/// The platform's side of a push: who may push, which apps exist, and what a push does.
/// The controller implements it (build, slug, release); PaasGit speaks git.
public protocol GitPushHandler: Sendable {
    /// The owner of `token`, or nil when the token is not valid.
    func authenticate(token: String) async throws -> String?
    /// Whether an app of that name exists.
    func appExists(_ app: String) async throws -> Bool
    /// Builds and releases the pushed code while the push is open. Lines written to `output`
    /// reach the pusher as `remote:` lines as they come.
    func deploy(_ push: Push, output: PushOutput) async -> PushVerdict
}

/// Where a push's progress goes: each line reaches the pusher's terminal as it is written.
public struct PushOutput: Sendable {
    let continuation: AsyncStream<String>.Continuation

    /// Sends one line (no trailing newline needed).
    public func line(_ text: String) {
        continuation.yield(text)
    }

    /// A `PushOutput` that hands lines to `body`, for tests and other callers.
    public init(_ continuation: AsyncStream<String>.Continuation) {
        self.continuation = continuation
    }
}
