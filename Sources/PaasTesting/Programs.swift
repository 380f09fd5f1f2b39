#if canImport(Glibc)
import Glibc
#endif
import Subprocess

/// Where the package's built executables are (`paas`, `paasd`).
public enum TestBinaries {
    /// The path of the built executable `name`: `$PAAS_BIN_DIR/<name>`, else `.build/debug/<name>`.
    public static func path(_ name: String) -> String {
        if let directory = getenv("PAAS_BIN_DIR").map({ String(cString: $0) }) { return directory + "/" + name }
        return packageRoot + "/.build/debug/" + name
    }

    /// The root of this package, from this file's location.
    public static var packageRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Sources/PaasTesting/Programs.swift
        return parts.joined(separator: "/")
    }
}

/// What a program printed and how it ended.
public struct ProgramResult: Sendable {
    /// The exit status; 128 + N when killed by signal N.
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to completion with extra environment variables and optional standard input.
public func runProgram(
    _ path: String, _ arguments: [String], environment: [String: String] = [:],
    workingDirectory: String? = nil, stdin: String? = nil
) async throws -> ProgramResult {
    var overrides: [Environment.Key: String?] = [:]
    for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
    let configuration = Configuration(
        executable: .path(.init(path)), arguments: Arguments(arguments), environment: .inherit.updating(overrides),
        workingDirectory: workingDirectory.map { .init($0) })
    let result = try await Subprocess.run(
        configuration, input: .string(stdin ?? ""), output: .string(limit: 16 << 20), error: .string(limit: 16 << 20))
    let status: Int32
    switch result.terminationStatus {
    case .exited(let code): status = code
    case .signaled(let signal): status = 128 + signal
    }
    return ProgramResult(status: status, stdout: result.standardOutput, stderr: result.standardError)
}
