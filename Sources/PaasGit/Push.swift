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

    /// Parses the hook's standard input: one `old new ref` line per ref.
    static func parse(_ text: String) -> [RefUpdate] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3 else { return nil }
            return RefUpdate(oldCommit: String(fields[0]), newCommit: String(fields[1]), ref: String(fields[2]))
        }
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

    /// Writes the tree of the pushed commit into `directory` (which must not exist yet): the
    /// files only, no `.git`, as `git archive` exports them.
    public func exportTree(to directory: String) async throws {
        var environment = ["GIT_DIR": repository]
        if let quarantine, !quarantine.isEmpty {
            environment["GIT_OBJECT_DIRECTORY"] = quarantine
            environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = repository + "/objects"
        }
        try await Command.run(
            "sh", ["-c", "mkdir -- \"$2\" && git archive --format=tar \"$1\" | tar -x -C \"$2\"", "sh", update.newCommit, directory],
            environment: environment)
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
