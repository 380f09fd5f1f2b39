#if canImport(Glibc)
import Glibc
#endif
import Subprocess

/// Runs a short-lived program to completion and hands back its output; fails with the output when it fails.
public enum Command {
    /// A program that exited unsuccessfully, with what it printed (which must not hold secrets).
    public struct Failure: Error, CustomStringConvertible {
        public var program: String
        public var status: String
        public var output: String

        public var description: String { "\(program) failed (\(status)): \(output)" }
    }

    /// Runs `program` with `arguments`, optionally as `user`, and returns its standard output.
    /// Standard error is folded into the failure's text.
    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String] = [], user: SystemUser? = nil,
        environment: [String: String] = [:], workingDirectory: String? = nil
    ) async throws -> String {
        // Switching user is left to runuser: swift-subprocess's own uid/gid switch (setgroups and
        // setuid in a child made by clone3) can deadlock on glibc locks that other threads held.
        var executable: Executable = program.hasPrefix("/") ? .path(.init(program)) : .name(program)
        var arguments = arguments
        if let user {
            arguments = ["-u", user.name, "--", program] + arguments
            executable = .name("runuser")
        }
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(
            executable, arguments: Arguments(arguments),
            environment: .inherit.updating(overrides),
            workingDirectory: workingDirectory.map { .init($0) },
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        let output = result.standardOutput
        guard result.terminationStatus.isSuccess else {
            let text = [output, result.standardError].joined(separator: "\n").trimmed
            throw Failure(program: program, status: "\(result.terminationStatus)", output: text)
        }
        return output
    }
}

/// An operating-system user, looked up by name.
public struct SystemUser: Sendable, Equatable {
    public var name: String
    public var uid: UInt32
    public var gid: UInt32

    /// Looks `name` up in the password database; nil when there is no such user.
    public static func lookup(_ name: String) -> SystemUser? {
        guard let entry = getpwnam(name) else { return nil }
        return SystemUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }
}

extension String {
    /// The string without leading and trailing white space.
    public var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
