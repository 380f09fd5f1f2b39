// Files for blob store tests: random content, sha256sum, comparing and damaging files.
#if canImport(Glibc)
import Glibc
#endif
import PaasTesting

/// Making, hashing, comparing and damaging files, with the system's own tools where possible so
/// that the code under test is checked against something independent of it.
enum BlobFiles {
    /// Writes `size` random bytes to `path`.
    static func makeRandom(at path: String, size: Int) async throws {
        let result = try await runProgram("/bin/sh", ["-c", "head -c \(size) /dev/urandom > \"$1\"", "sh", path])
        guard result.status == 0 else { throw TestFailure("Cannot write \(path): \(result.stderr)") }
    }

    /// Writes `text` to `path`.
    static func write(_ text: String, to path: String) async throws {
        let result = try await runProgram("/bin/sh", ["-c", "cat > \"$1\"", "sh", path], stdin: text)
        guard result.status == 0 else { throw TestFailure("Cannot write \(path): \(result.stderr)") }
    }

    /// The lowercase hex sha256 of the file, from `sha256sum`.
    static func sha256sum(_ path: String) async throws -> String {
        let result = try await runProgram("/usr/bin/sha256sum", [path])
        guard result.status == 0, let hash = result.stdout.split(separator: " ").first else {
            throw TestFailure("sha256sum \(path) failed: \(result.stderr)")
        }
        return String(hash)
    }

    /// Whether the two files have the same bytes (`cmp`).
    static func same(_ first: String, _ second: String) async throws -> Bool {
        try await runProgram("/usr/bin/cmp", ["-s", first, second]).status == 0
    }

    /// The file's bytes.
    static func contents(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw TestFailure("Cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// Inverts one byte of the file in place, at `offset` (the middle by default).
    static func flipByte(in path: String, at offset: Int? = nil) throws {
        let descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else { throw TestFailure("Cannot open \(path) to damage it") }
        defer { close(descriptor) }
        var info = stat()
        fstat(descriptor, &info)
        let position = off_t(offset ?? Int(info.st_size) / 2)
        var byte: UInt8 = 0
        guard pread(descriptor, &byte, 1, position) == 1 else { throw TestFailure("Cannot read \(path)") }
        byte = ~byte
        guard pwrite(descriptor, &byte, 1, position) == 1 else { throw TestFailure("Cannot write \(path)") }
    }

    /// Whether anything is at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The names in `directory`.
    static func entries(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
