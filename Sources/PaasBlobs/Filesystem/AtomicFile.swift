// Writing a file so that it appears whole or not at all: a temporary file in the same directory
// (so that rename(2) is atomic), fsync, then rename over the final path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import _NIOFileSystem

/// A temporary file being written, which either becomes a final path (`commit`) or disappears.
struct AtomicFile {
    /// The temporary file's path.
    let temporaryPath: String
    private let handle: WriteFileHandle
    private var offset: Int64 = 0

    private init(temporaryPath: String, handle: WriteFileHandle) {
        self.temporaryPath = temporaryPath
        self.handle = handle
    }

    /// Creates a temporary file in `directory`, runs `body` with it, and on success fsyncs it and
    /// hands it to `finish` (which renames it or decides to drop it). On any error the
    /// temporary file is removed and the error rethrown.
    static func write<Result>(
        in directory: String,
        _ body: (inout AtomicFile) async throws -> Result
    ) async throws -> (result: Result, temporaryPath: String) {
        let path = directory + "/.tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let handle: WriteFileHandle
        do {
            handle = try await FileSystem.shared.openFile(
                forWritingAt: FilePath(path),
                options: OpenOptions.Write(
                    existingFile: .none,
                    newFile: .init(permissions: [.ownerReadWrite], transactionalCreation: false)))
        } catch let error as FileSystemError {
            throw BlobError.io("create a temporary file in", path: directory, cause: error)
        }
        var file = AtomicFile(temporaryPath: path, handle: handle)
        do {
            let result = try await body(&file)
            try await handle.synchronize()
            try await handle.close(makeChangesVisible: true)
            return (result, path)
        } catch {
            try? await handle.close(makeChangesVisible: true)
            unlink(path)
            if let error = error as? FileSystemError { throw BlobError.io("write", path: path, cause: error) }
            throw error
        }
    }

    /// Appends `chunk`.
    mutating func append(_ chunk: ByteBuffer) async throws {
        do {
            offset += try await handle.write(contentsOf: chunk, toAbsoluteOffset: offset)
        } catch let error as FileSystemError {
            throw BlobError.io("write", path: temporaryPath, cause: error)
        }
    }

    /// Renames the written temporary file to `path` (replacing what is there), then fsyncs the
    /// directory so that the rename survives a crash. Removes the temporary file on failure.
    static func commit(_ temporaryPath: String, to path: String) throws {
        guard rename(temporaryPath, path) == 0 else {
            let error = Errno(rawValue: errno)
            unlink(temporaryPath)
            throw BlobError.io("rename a temporary file to", path: path, cause: error)
        }
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
