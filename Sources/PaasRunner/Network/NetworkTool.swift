// Runs `ip` and `nft`. Unlike `Command.run` these take standard input (`nft -f -`,
// `ip -batch -`), and they are looked up in the sbin directories too, which a daemon's PATH may lack.
#if canImport(Glibc)
import Glibc
#endif
import PaasSupport
import Subprocess

/// A host program the network drives, with the Debian package that provides it.
struct NetworkTool: Sendable {
    /// The program's name, e.g. `ip`.
    var name: String
    /// The Debian package to install when the program is missing.
    var package: String

    /// iproute2's `ip`: links, addresses, routes, network namespaces.
    static let ip = NetworkTool(name: "ip", package: "iproute2")
    /// nftables' `nft`: NAT and forwarding rules.
    static let nft = NetworkTool(name: "nft", package: "nftables")

    /// The program's absolute path: the first executable `name` in PATH or an sbin/bin directory.
    func path() throws -> String {
        let searchPath = getenv("PATH").map { String(cString: $0) } ?? ""
        let directories = searchPath.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for directory in directories where directory.hasPrefix("/") {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw RunnerError(
            code: RunnerError.Code.toolMissing,
            message: "\(name) is not installed: install the Debian package \(package) (apt-get install -y \(package))")
    }

    /// Runs the program with `arguments` and `input` on its standard input; returns its standard
    /// output, or fails with what it printed.
    @discardableResult
    func run(_ arguments: [String], input: String = "") async throws -> String {
        let path = try path()
        let status: String
        let printed: String
        do {
            let result = try await Subprocess.run(
                .path(.init(path)), arguments: Arguments(arguments), input: .string(input),
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            if result.terminationStatus.isSuccess { return result.standardOutput }
            status = "\(result.terminationStatus)"
            printed = [result.standardOutput, result.standardError].joined(separator: "\n").trimmed
        } catch {
            throw RunnerError(
                code: RunnerError.Code.commandFailed,
                message: "could not start \(path): check that it is executable", cause: error)
        }
        throw RunnerError(
            code: RunnerError.Code.commandFailed,
            message: "`\(name) \(arguments.joined(separator: " "))` failed (\(status)): "
                + "the runner needs root (CAP_NET_ADMIN); the cause holds what \(name) printed",
            cause: ProgramOutput(text: printed))
    }

    /// Whether the network interface `name` exists in the host's network namespace.
    static func linkExists(_ name: String) -> Bool {
        access("/sys/class/net/" + name, F_OK) == 0
    }
}
