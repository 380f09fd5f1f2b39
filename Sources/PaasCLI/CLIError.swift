/// Every failure the CLI reports itself (as opposed to the server's errors, which arrive as
/// `ClientError`): a stable code, a message saying what went wrong, an optional suggestion
/// line, and the exit status (1 for errors, 2 for usage errors).
struct CLIError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code such as `not_logged_in`.
    var code: String
    /// What went wrong, for people.
    var message: String
    /// What to do about it, printed on its own line.
    var suggestion: String?
    /// The process exit status: 1 for errors, 2 for usage errors.
    var exitStatus: Int32 = 1

    var description: String { message }

    static let notLoggedIn = CLIError(
        code: "not_logged_in",
        message: "Not logged in. Run 'paas login --api URL --token TOKEN' (the token is in /var/lib/paas/admin-token).")

    static let noApp = CLIError(
        code: "no_app",
        message: "No app given. Pass -a APP, set PAAS_APP, or run inside a git repo with a 'paas' remote.")

    /// A usage error found after parsing (exit 2), e.g. a missing confirmation.
    static func usage(_ message: String, suggestion: String? = nil) -> CLIError {
        CLIError(code: "usage", message: message, suggestion: suggestion, exitStatus: 2)
    }
}
