#if canImport(Glibc)
import Glibc
#endif
import PaasSupport

/// The few file-system operations the providers need on their directories.
enum LocalFiles {
    /// Creates `path` (and its parents) when missing, then sets its mode and, when given, its owner.
    static func makeDirectory(_ path: String, mode: mode_t, owner: String? = nil) throws {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ServerFailure(reason: "cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        chmod(path, mode)
        if let owner { try changeOwner(path, to: owner) }
    }

    /// Hands `path` to the OS user `owner`.
    static func changeOwner(_ path: String, to owner: String) throws {
        guard let user = SystemUser.lookup(owner) else {
            throw ServerFailure(reason: "no system user '\(owner)'; install the server's Debian package, which creates it")
        }
        guard chown(path, user.uid, user.gid) == 0 else {
            throw ServerFailure(reason: "cannot hand \(path) to \(owner): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The size of the file at `path` in bytes.
    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Removes `path` and everything under it; a missing path is fine.
    static func remove(_ path: String) async throws {
        guard path.hasPrefix("/"), path.split(separator: "/").count >= 2 else { return }
        try await ClientProgram().run("/bin/rm", ["-rf", "--", path])
    }

    /// Writes `contents` to a new file at `path` with `mode` (set before any byte is written), then
    /// hands it to `owner`.
    static func write(_ contents: String, to path: String, mode: mode_t, owner: String? = nil) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw ServerFailure(reason: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        fchmod(descriptor, mode)
        let bytes = Array(contents.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw ServerFailure(reason: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        if let owner { try changeOwner(path, to: owner) }
    }

    /// The contents of the text file at `path`, or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names in `directory` (without `.` and `..`), or none when it cannot be read.
    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes the file at `path`; a missing file is fine.
    static func removeFile(_ path: String) { unlink(path) }

    /// A fresh path for a temporary file in `directory`.
    static func temporaryPath(in directory: String, prefix: String) -> String {
        "\(directory)/\(prefix)-\(Secrets.password(length: 12))"
    }
}

