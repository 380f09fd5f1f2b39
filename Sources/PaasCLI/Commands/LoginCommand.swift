import ArgumentParser
import Foundation
import PaasClient

/// `paas login`: checks a token against the API and saves both in the config file.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Save the API URL and token in ~/.config/paas/config.json.",
        discussion: """
            The token is checked against the API first. '--token -' reads it from stdin; without \
            --token it comes from $PAAS_TOKEN, else a prompt (on a terminal) or stdin. The admin \
            token of 'paasd up' is in /var/lib/paas/admin-token.
            """)

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let url = global.apiURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("'\(url)' is not an API URL. Pass one like \(CLIConfiguration.defaultAPIURL).")
        }
    }

    func run() async throws {
        let environment = CLIConfiguration.environment
        let path = StoredLogin.path(environment: environment)
        // A broken config file is what login repairs, so it only matters here for its API URL.
        let saved = (try? StoredLogin.load(from: path)) ?? nil
        let resolved = try CLIConfiguration.resolve(
            apiFlag: global.apiURL, tokenFlag: nil, environment: environment,
            file: saved ?? StoredLogin(apiURL: CLIConfiguration.defaultAPIURL, token: ""))
        guard let token = readToken(environment: environment), !token.isEmpty else {
            throw CLIError.usage("No token given.", suggestion: "Pass --token TOKEN, or --token - to read it from stdin.")
        }
        let client = ControllerClient(baseURL: resolved.apiURL, token: token)
        let account = try await client.account()
        try StoredLogin(apiURL: resolved.apiURL, token: token).save(to: path)
        Output.data("Logged in to \(resolved.apiURL) as \(account.name)")
    }

    /// `--token T`, `--token -` (stdin), `$PAAS_TOKEN`, a prompt on a terminal, else stdin.
    private func readToken(environment: [String: String]) -> String? {
        if let token = global.token, token != "-" { return token }
        if global.token == nil, let token = environment["PAAS_TOKEN"], !token.isEmpty { return token }
        if global.token == nil, isatty(STDIN_FILENO) == 1 {
            // getpass reads from the terminal without echoing the token.
            guard let typed = getpass("Token: ") else { return nil }
            return String(cString: typed).trimmingCharacters(in: .whitespaces)
        }
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
    }
}
