#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where `paasd runner` and `paasd router` find their controller token: a file (`--token-file`,
/// e.g. 0600 under /etc/paas), else `PAAS_TOKEN`, else `--token`. A token on the command line
/// can be read by any local user in `ps`, so the first two are the documented ways.
enum ControllerToken {
    /// The token, or nil when none is given. A file that cannot be read, or is empty, fails naming
    /// the file (never its contents).
    static func resolve(flag: String?, file: String?, environment: [String: String]) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PlatformError("Cannot read the token file \(file). Check that it exists and that paasd may read it.")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw PlatformError("The token file \(file) is empty. Put the controller token in it.") }
            return token
        }
        if let token = environment["PAAS_TOKEN"], !token.isEmpty { return token }
        return flag
    }
}
