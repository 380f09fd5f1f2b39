import Logging
import NIOCore
import Subprocess

/// Runs one of git's server programs (`receive-pack`, `upload-pack`) in stateless-RPC mode,
/// streaming the request body in and the program's output out.
struct GitProgram {
    /// `receive-pack` or `upload-pack`.
    let service: String
    let repository: String
    var environment: [String: String] = [:]

    /// The refs advertisement for `info/refs`.
    func advertisement() async throws -> [UInt8] {
        let result = try await Subprocess.run(
            .name("git"), arguments: [service, "--stateless-rpc", "--advertise-refs", repository],
            environment: .inherit.updating(overrides), output: .bytes(limit: 64 << 20), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else {
            throw GitError(
                status: .internalServerError, code: "git_failed",
                message: "git \(service) could not list the repository's refs: \(result.standardError ?? "")")
        }
        return result.standardOutput
    }

    /// Feeds `body` (gunzipped first when `gzipped`) to the program and hands each piece of its
    /// output to `send` as it comes.
    func run<Body: AsyncSequence & Sendable>(
        body: Body, gzipped: Bool, logger: Logger, send: ([UInt8]) async throws -> Void
    ) async throws where Body.Element == ByteBuffer {
        // A gzipped body goes through gzip on its way in: git's programs read plain packs only.
        let executable: Executable = gzipped ? .name("sh") : .name("git")
        let arguments =
            gzipped
            ? ["-c", "gzip -dc | git \"$@\"", "sh", service, "--stateless-rpc", repository]
            : [service, "--stateless-rpc", repository]
        let result = try await Subprocess.run(
            executable, arguments: Arguments(arguments), environment: .inherit.updating(overrides),
            input: .inputWriter, output: .sequence, error: .string(limit: 1 << 16)
        ) { execution in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let writer = execution.standardInputWriter
                group.addTask {
                    for try await chunk in body {
                        _ = try await writer.write(Array(chunk.readableBytesView))
                    }
                    try await writer.finish()
                }
                for try await chunk in execution.standardOutput {
                    try await send(chunk.withUnsafeBytes { Array($0) })
                }
                try await group.waitForAll()
            }
        }
        if !result.terminationStatus.isSuccess {
            logger.info(
                "git program failed",
                metadata: ["service": "\(service)", "status": "\(result.terminationStatus)", "stderr": "\(result.standardError ?? "")"])
        }
    }

    private var overrides: [Environment.Key: String?] {
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        return overrides
    }
}
