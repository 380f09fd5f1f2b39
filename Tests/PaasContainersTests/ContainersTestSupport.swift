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

/// Writes `text` to `path`, creating the parent directories, with `mode`.
func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
    var current = ""
    for part in path.split(separator: "/").dropLast() {
        current += "/" + part
        mkdir(current, 0o755)
    }
    guard let file = fopen(path, "w") else { throw TestFailure("cannot write \(path)") }
    fputs(text, file)
    fclose(file)
    chmod(path, mode)
}

/// Reads a file, or nil.
func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Whether anything is at `path` (without following a symlink).
func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}
