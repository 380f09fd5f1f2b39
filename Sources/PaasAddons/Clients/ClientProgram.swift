import PaasSupport
import Subprocess

/// Runs the servers' client programs (`mariadb`, `psql`, `pg_dump`, `redis-cli`, …) to completion.
///
/// Secrets travel in the environment (`MYSQL_PWD`, `PGPASSWORD`, `REDISCLI_AUTH`) or on standard
/// input, never in arguments (which `ps` shows), and are scrubbed from any failure's text.
struct ClientProgram: Sendable {
    /// The OS user to run as (through `setpriv`), or nil for ourselves.
    var user: String?
    /// Extra environment; every value counts as a secret.
    var environment: [String: String] = [:]
    /// Further secrets to keep out of failures (passwords inside SQL on standard input).
    var secrets: [String] = []

    /// Runs `program` and returns its standard output. `input` is piped to its standard input
    /// by a shell (from the environment, which only the same user and root can read), and
    /// `inputFile` and `outputFile` redirect its standard streams (opened as `user`).
    @discardableResult
    func run(
        _ program: String, _ arguments: [String], input: String? = nil, inputFile: String? = nil, outputFile: String? = nil
    ) async throws -> String {
        var argv = [program] + arguments
        var environment = self.environment
        if input != nil || inputFile != nil || outputFile != nil {
            var script = "exec \"$@\""
            if let input {
                // The shell writes it: a client that exits without reading it (refused
                // credentials) only ends the shell's printf, never breaks a pipe of ours.
                script = "printf '%s' \"$PAAS_CLIENT_INPUT\" | " + script
                environment["PAAS_CLIENT_INPUT"] = input
            } else if let inputFile {
                script += " <\"$PAAS_CLIENT_STDIN\""
                environment["PAAS_CLIENT_STDIN"] = inputFile
            }
            if let outputFile {
                script += " >\"$PAAS_CLIENT_STDOUT\""
                environment["PAAS_CLIENT_STDOUT"] = outputFile
            }
            argv = ["/bin/sh", "-c", script, "sh"] + argv
        }
        if let user {
            argv = ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--init-groups", "--"] + argv
        }
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        let executable: Executable = argv[0].hasPrefix("/") ? .path(.init(argv[0])) : .name(argv[0])
        let result = try await Subprocess.run(
            executable, arguments: Arguments(Array(argv.dropFirst())), environment: .inherit.updating(overrides),
            workingDirectory: "/", input: .none, output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20))
        guard result.terminationStatus.isSuccess else {
            let text = [result.standardOutput, result.standardError].joined(separator: "\n")
            let secrets = self.secrets + Array(self.environment.values)
            throw ClientFailure(
                program: program.split(separator: "/").last.map(String.init) ?? program,
                status: "\(result.terminationStatus)",
                output: Self.abridged(Secrets.scrub(text, secrets).trimmed))
        }
        return result.standardOutput
    }

    /// The first and last lines of a long output: where programs say what failed.
    private static func abridged(_ text: String) -> String {
        guard text.count > 2400 else { return text }
        return text.prefix(1200) + "\n…\n" + text.suffix(1200)
    }
}

/// A client program that failed, with what it printed (scrubbed of secrets).
struct ClientFailure: Error, CustomStringConvertible {
    var program: String
    var status: String
    var output: String

    var description: String { "\(program) failed (\(status)): \(output)" }
}
