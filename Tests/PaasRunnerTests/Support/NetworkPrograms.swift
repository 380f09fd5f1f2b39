// `ip` and `curl` as the network tests use them.
import PaasTesting

/// Runs `ip` and returns its standard output; fails when it fails.
func ip(_ arguments: [String]) async throws -> String {
    let result = try await runProgram("/usr/sbin/ip", arguments)
    guard result.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")): \(result.stderr)") }
    return result.stdout
}

/// Fetches `url` with curl, from the host or from inside `namespace`; never through a proxy.
func fetch(_ url: String, from namespace: String? = nil) async throws -> ProgramResult {
    let curl = ["/usr/bin/curl", "--noproxy", "*", "--silent", "--show-error", "--max-time", "3", url]
    guard let namespace else { return try await runProgram(curl[0], Array(curl.dropFirst())) }
    return try await runProgram("/usr/sbin/ip", ["netns", "exec", namespace] + curl)
}
