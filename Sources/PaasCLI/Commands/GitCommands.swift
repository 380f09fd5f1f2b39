import ArgumentParser
import Foundation
import PaasClient

/// `paas git:remote`: points a git remote at the app and sets up the credential helper, so that
/// a plain `git push paas main` authenticates with the CLI's token.
struct GitRemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git:remote", abstract: "Add (or update) the git remote of an app in this repository.")

    @OptionGroup var app: AppOptions
    @Option(name: [.customShort("r"), .long], help: "The remote's name.")
    var remote = GitRemote.defaultName

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        guard GitRemote.isInsideWorkTree() else {
            throw CLIError(code: "not_a_git_repository", message: "This is not a git repository.", suggestion: "Run 'git init' first.")
        }
        let app = try await global.client().app(try self.app.resolve())
        let added = try GitRemote.setURL(app.gitURL, named: remote)
        try GitRemote.useCredentialHelper(forRemoteURL: app.gitURL)
        Output.info("Git remote \(remote) \(added ? "added" : "updated"): \(app.gitURL)")
    }
}

/// `paas git:credential get|store|erase`: git's credential-helper protocol. For `get` it answers
/// with the CLI's token as the password (any user name works); the rest is ignored.
struct GitCredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git:credential", abstract: "git credential helper: hands git the API token.",
        discussion: "Set up by 'paas apps:create' and 'paas git:remote'; git runs it, people do not need to.")

    @Argument(help: "get, store or erase (git's credential-helper operations).")
    var operation: String

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        // git writes the request, `key=value` lines ending with an empty line; read it all.
        _ = FileHandle.standardInput.readDataToEndOfFile()
        guard operation == "get" else { return }
        guard let token = try global.configuration().token else { throw CLIError.notLoggedIn }
        Output.data("username=paas\npassword=\(token)")
    }
}
