#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore

/// The apps' logs on this host: every line of every process plus the platform's events, kept on
/// disk across deploys and runner restarts, bounded per app, and streamed to followers
/// (`paas logs -t`) as it is written.
///
/// Each app has `<directory>/<app>.log`; when it grows past `maximumBytes` it becomes
/// `<app>.log.1` (replacing the one before), so an app never holds more than twice that.
public actor LogStore {
    /// Where the log files live.
    public let directory: String
    /// The size at which an app's log file is rotated.
    public let maximumBytes: Int
    private var followers: [String: [UUID: AsyncStream<LogLine>.Continuation]] = [:]
    /// Each app's open log file and its size, counted as lines are written (no stat per line).
    private var files: [String: (descriptor: Int32, size: Int)] = [:]

    public init(directory: String, maximumBytes: Int = 4 << 20) throws {
        self.directory = directory
        self.maximumBytes = maximumBytes
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        for file in files.values { close(file.descriptor) }
    }

    /// Appends `line` to the app's log and hands it to the app's followers.
    public func append(_ line: LogLine, app: String) throws {
        let path = try self.path(of: app)
        let bytes = Array((line.formatted.replacing("\n", with: " ") + "\n").utf8)
        var file = try files[app] ?? openFile(path)
        if file.size > 0, file.size + bytes.count > maximumBytes {
            close(file.descriptor)
            files[app] = nil
            _ = try? FileManager.default.removeItem(atPath: path + ".1")
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            file = try openFile(path)
        }
        // One write(2) with O_APPEND per line: lines never interleave, even across processes.
        let written = bytes.withUnsafeBytes { Glibc.write(file.descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let error = Self.writeFailed(path)
            close(file.descriptor)
            files[app] = nil
            throw error
        }
        file.size += bytes.count
        files[app] = file
        for follower in followers[app, default: [:]].values { follower.yield(line) }
    }

    /// Opens (or creates) the app's current file, appending; its size is read once here.
    private func openFile(_ path: String) throws -> (descriptor: Int32, size: Int) {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.writeFailed(path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = Self.writeFailed(path)
            close(descriptor)
            throw error
        }
        return (descriptor, Int(status.st_size))
    }

    private static func writeFailed(_ path: String) -> RunnerError {
        RunnerError(code: "log_write_failed", message: "Cannot write \(path): \(String(cString: strerror(errno))). Check the disk and the log directory's permissions.")
    }

    /// The app's last `count` lines, oldest first.
    public func recent(app: String, count: Int) throws -> [LogLine] {
        let path = try self.path(of: app)
        var lines: [LogLine] = []
        for file in [path + ".1", path] {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            lines += String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap(LogLine.init(formatted:))
        }
        return Array(lines.suffix(max(count, 0)))
    }

    /// The app's last `count` lines and then its lines from now on, without a line lost or
    /// repeated between the two (one step of the actor).
    public func recentAndFollow(app: String, count: Int) throws -> (recent: [LogLine], new: AsyncStream<LogLine>) {
        (try recent(app: app, count: count), try follow(app: app))
    }

    /// The app's lines from now on, until the caller stops iterating.
    public func follow(app: String) throws -> AsyncStream<LogLine> {
        _ = try path(of: app)
        let id = UUID()
        let (stream, continuation) = AsyncStream<LogLine>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        followers[app, default: [:]][id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unfollow(app: app, id: id) }
        }
        return stream
    }

    /// Deletes the app's logs (when the app is destroyed) and ends its followers.
    public func remove(app: String) throws {
        let path = try self.path(of: app)
        if let file = files.removeValue(forKey: app) { close(file.descriptor) }
        for file in [path, path + ".1"] { try? FileManager.default.removeItem(atPath: file) }
        for follower in followers.removeValue(forKey: app)?.values ?? [:].values { follower.finish() }
    }

    private func unfollow(app: String, id: UUID) {
        followers[app]?[id] = nil
    }

    private func path(of app: String) throws -> String {
        guard AppName.isValid(app) else {
            throw RunnerError(code: "invalid_app_name", message: "'\(app)' is not an app name. \(AppName.rule)", kind: .invalid)
        }
        return "\(directory)/\(app).log"
    }
}
