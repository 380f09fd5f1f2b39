// Helpers for the shared container parts' tests: files, programs, the run stack.
import PaasTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program; fails the test when it fails.
@discardableResult
func run(_ program: String, _ arguments: [String], in directory: String? = nil) async throws -> String {
    let result = try await runProgram(program, arguments, workingDirectory: directory)
    guard result.status == 0 else {
        throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
    }
    return result.stdout
}

