import ArgumentParser
import PaasClient

/// Where the API is and how to authenticate; shared by every command that talks to the API.
/// Flags win over `PAAS_API_URL` / `PAAS_TOKEN`, which win over the config file.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("api"), help: ArgumentHelp("The controller API URL (default: $PAAS_API_URL, then the config file, then \(CLIConfiguration.defaultAPIURL)).", valueName: "url"))
    var apiURL: String?

    @Option(help: ArgumentHelp("The API token (default: $PAAS_TOKEN, then the config file).", valueName: "token"))
    var token: String?

    /// Resolves the API URL and token from these flags, the environment and the config file.
    func configuration() throws -> CLIConfiguration {
        try CLIConfiguration.resolve(apiFlag: apiURL, tokenFlag: token)
    }

    /// A client for the resolved API; fails with the "Not logged in" error when there is no token.
    func client() throws -> ControllerClient {
        try configuration().makeClient()
    }
}

/// The app a command acts on: `-a/--app`, else `PAAS_APP`, else the `paas` git remote of the
/// current directory.
struct AppOptions: ParsableArguments {
    @Option(name: [.customShort("a"), .long], help: ArgumentHelp("The app (default: $PAAS_APP, then the 'paas' git remote of the current directory).", valueName: "app"))
    var app: String?

    /// The app's name, or the "No app given" error.
    func resolve(environment: [String: String] = CLIConfiguration.environment) throws -> String {
        guard let name = resolveIfPossible(environment: environment) else { throw CLIError.noApp }
        return name
    }

    /// The app's name, or nil when none of the sources names one.
    func resolveIfPossible(environment: [String: String] = CLIConfiguration.environment) -> String? {
        if let app, !app.isEmpty { return app }
        if let app = environment["PAAS_APP"], !app.isEmpty { return app }
        return GitRemote.url(named: GitRemote.defaultName).flatMap(GitRemote.appName(fromURL:))
    }
}

/// `--json`: print the API's own objects instead of a human listing.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print the API's JSON objects instead of a listing.")
    var json = false
}
