// Where the CLI finds the API and its token: flags > PAAS_API_URL / PAAS_TOKEN >
// the config file (`~/.config/paas/config.json`, or `$PAAS_CONFIG`) > the default API URL.
import Foundation
import PaasClient

/// The API URL and token a command uses, resolved from flags, environment and config file.
struct CLIConfiguration: Sendable, Equatable {
    /// The API of `paasd up` on this host.
    static let defaultAPIURL = "http://127.0.0.1:5100"

    /// The controller API's base URL, without a trailing slash.
    var apiURL: String
    /// The API token, if any source gave one.
    var token: String?

    /// The process environment.
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Resolves the configuration. The config file's token is used only for the API it was saved
    /// for, so that pointing the CLI at another server never sends it a token meant for this one.
    static func resolve(
        apiFlag: String?, tokenFlag: String?,
        environment: [String: String] = environment,
        file: StoredLogin? = nil
    ) throws -> CLIConfiguration {
        let explicitAPI = nonEmpty(apiFlag) ?? nonEmpty(environment["PAAS_API_URL"])
        var token = nonEmpty(tokenFlag) ?? nonEmpty(environment["PAAS_TOKEN"])
        // The file is read only when it is needed, so a broken one does not stand in the way of flags.
        var file = file
        if file == nil && (explicitAPI == nil || token == nil) {
            file = try StoredLogin.load(from: StoredLogin.path(environment: environment))
        }
        let apiURL = normalizedURL(explicitAPI ?? file?.apiURL ?? defaultAPIURL)
        if token == nil, let file, normalizedURL(file.apiURL) == apiURL {
            token = nonEmpty(file.token)
        }
        return CLIConfiguration(apiURL: apiURL, token: token)
    }

    /// A client for this API; fails with "Not logged in" when there is no token.
    func makeClient() throws -> ControllerClient {
        guard let token else { throw CLIError.notLoggedIn }
        return ControllerClient(baseURL: apiURL, token: token)
    }

    /// `url` without trailing slashes.
    static func normalizedURL(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// The config file `paas login` writes: `{"api_url": …, "token": …}`, mode 0600 in a 0700 directory.
struct StoredLogin: Codable, Sendable, Equatable {
    var apiURL: String
    var token: String

    enum CodingKeys: String, CodingKey {
        case apiURL = "api_url"
        case token
    }

    /// `$PAAS_CONFIG`, else `~/.config/paas/config.json`.
    static func path(environment: [String: String]) -> String {
        if let path = environment["PAAS_CONFIG"], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/paas/config.json"
    }

    /// Reads the file at `path`; nil when there is none.
    static func load(from path: String) throws -> StoredLogin? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(StoredLogin.self, from: data)
        } catch {
            throw CLIError(
                code: "bad_config_file", message: "The config file \(path) is not valid JSON of the form {\"api_url\": …, \"token\": …}.",
                suggestion: "Run 'paas login --api URL --token TOKEN' again to rewrite it.")
        }
    }

    /// Writes the file atomically with mode 0600, creating its directory with mode 0700.
    func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(self) + Data("\n".utf8)
            let temporary = path + ".tmp-\(getpid())"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: data)
            try handle.close()
            guard rename(temporary, path) == 0 else {
                let code = errno
                unlink(temporary)
                throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
            }
        } catch {
            throw CLIError(code: "config_not_written", message: "Could not write the config file \(path): \(error).")
        }
    }
}
