// Slugs and build caches as gzip tar archives, written and read with libarchive.
import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Gzip tar archives of directory trees: slugs (the app under `./app/`) and build caches.
///
/// Archives hold directories, regular files and symlinks with their permission bits and mtimes;
/// every entry is owned by the stacks' user `app` (10000:10000), whoever owns the files on disk.
/// Sockets, FIFOs and devices are left out. Failures throw `ContainerError` with the code
/// `archive_failed`.
public enum SlugArchive {
    /// The uid and gid recorded for every entry: the stacks' user and group `app`.
    public static let ownerID: Int64 = 10000

    /// The gzip level archives are written with: the fastest. Slugs and caches are packed on
    /// every build and unpacked once per host; level 1 packs several times faster than zlib's
    /// default (6) for archives a few percent larger.
    public static let compressionLevel = 1

    /// Packs the tree at `directory` into a gzip tar at `path`, every entry under `./<root>/`,
    /// and returns the archive's size in bytes. Entries are written in name order.
    ///
    /// This blocks its thread for as long as packing takes: from async code use `pack`.
    @discardableResult
    public static func create(
        from directory: String, at path: String, root: String = "app", compressionLevel: Int = compressionLevel
    ) throws -> Int64 {
        guard let archive = archive_write_new() else { throw failure("create \(path)", reason: "out of memory") }
        defer { archive_write_free(archive) }
        try check(archive_write_add_filter_gzip(archive), archive, "create \(path)")
        try check(
            archive_write_set_filter_option(archive, "gzip", "compression-level", "\(compressionLevel)"), archive,
            "create \(path)")
        try check(archive_write_set_format_pax_restricted(archive), archive, "create \(path)")
        try check(archive_write_open_filename(archive, path), archive, "create \(path)")
        guard let entry = archive_entry_new() else { throw failure("create \(path)", reason: "out of memory") }
        defer { archive_entry_free(entry) }
        var writer = TreeWriter(archive: archive, entry: entry, archivePath: path)
        try writer.add(hostPath: directory, entryPath: "./\(root)")
        try check(archive_write_close(archive), archive, "finish \(path)")
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("stat \(path)", reason: errnoText()) }
        return Int64(info.st_size)
    }

    /// Extracts the gzip tar at `path` into the existing `directory`.
    ///
    /// When every entry lies under `<root>/` (`./app/...`, the slug layout), that prefix is
    /// removed; otherwise entries are taken as they are, so slugs packed without the prefix work
    /// too. Absolute paths, `..` components and writes through symlinks are refused. Run as root,
    /// the recorded owners are restored (as `tar` does).
    ///
    /// This blocks its thread for as long as extracting takes: from async code use `unpack`.
    public static func extract(_ path: String, to directory: String, root: String = "app") throws {
        guard let target = realpath(directory, nil) else {
            throw failure("extract into \(directory)", reason: errnoText())
        }
        let base = String(cString: target)
        free(target)
        // Into an empty directory the archive is read once: entries land as they are, and the
        // root is lifted out afterwards when everything was under it. Otherwise a first pass
        // (which decompresses everything once more) decides.
        let empty = (try? HostFiles.children(of: base))?.isEmpty == true
        let prefixed = empty ? false : try allEntriesUnder(root, in: path)
        var allUnderRoot = true
        var sawRoot = false

        let reader = try openReader(path)
        defer { archive_read_free(reader) }
        guard let disk = archive_write_disk_new() else { throw failure("extract \(path)", reason: "out of memory") }
        defer { archive_write_free(disk) }
        var flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS
            | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_UNLINK
        if geteuid() == 0 { flags |= ARCHIVE_EXTRACT_OWNER }
        try check(archive_write_disk_set_options(disk, flags), disk, "extract \(path)")
        try check(archive_write_disk_set_standard_lookup(disk), disk, "extract \(path)")

        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            try check(status, reader, "read \(path)")
            guard let entry else { break }
            guard let relative = try relativePath(of: archive_entry_pathname(entry), strippingRoot: prefixed ? root : nil)
            else { continue }
            if relative == root || relative.hasPrefix(root + "/") { sawRoot = true } else { allUnderRoot = false }
            archive_entry_set_pathname(entry, base + "/" + relative)
            if let link = archive_entry_hardlink(entry) {
                guard let linkTarget = try relativePath(of: link, strippingRoot: prefixed ? root : nil) else {
                    throw failure("extract \(path)", reason: "a hard link points at the archive's root")
                }
                archive_entry_set_hardlink(entry, base + "/" + linkTarget)
            }
            try check(archive_write_header(disk, entry), disk, "extract \(relative) from \(path)")
            try copyData(from: reader, to: disk, what: "extract \(relative) from \(path)")
            try check(archive_write_finish_entry(disk), disk, "extract \(relative) from \(path)")
        }
        // Directory modes and times are set on close: on the paths they were extracted to.
        try check(archive_write_close(disk), disk, "finish extracting \(path)")
        if empty, allUnderRoot, sawRoot { try liftRoot(root, in: base, archive: path) }
    }

    /// Moves everything in `base/root` up into `base` (which holds nothing else) and removes
    /// the emptied `root`.
    private static func liftRoot(_ root: String, in base: String, archive path: String) throws {
        let parked = base + "/.slug-root-\(UInt64.random(in: 0...UInt64.max))"
        guard rename(base + "/" + root, parked) == 0 else {
            throw failure("extract \(path)", reason: "cannot move \(root)/ out of the way: \(errnoText())")
        }
        for name in try HostFiles.children(of: parked) {
            guard rename(parked + "/" + name, base + "/" + name) == 0 else {
                throw failure("extract \(path)", reason: "cannot move \(root)/\(name) into place: \(errnoText())")
            }
        }
        guard rmdir(parked) == 0 else { throw failure("extract \(path)", reason: "cannot remove \(parked): \(errnoText())") }
    }

    // MARK: - Reading

    private static func openReader(_ path: String) throws -> OpaquePointer {
        guard let reader = archive_read_new() else { throw failure("read \(path)", reason: "out of memory") }
        archive_read_support_filter_all(reader)
        archive_read_support_format_tar(reader)
        let status = archive_read_open_filename(reader, path, 1 << 16)
        if status != ARCHIVE_OK {
            let reason = errorText(reader)
            archive_read_free(reader)
            throw failure("read \(path)", reason: reason)
        }
        return reader
    }

    /// Whether every entry (other than `.`) is `root` or lies under `root/`.
    private static func allEntriesUnder(_ root: String, in path: String) throws -> Bool {
        let reader = try openReader(path)
        defer { archive_read_free(reader) }
        var entry: OpaquePointer?
        var sawRoot = false
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            try check(status, reader, "read \(path)")
            guard let entry, let name = try relativePath(of: archive_entry_pathname(entry), strippingRoot: nil) else {
                continue
            }
            guard name == root || name.hasPrefix(root + "/") else { return false }
            sawRoot = true
            archive_read_data_skip(reader)
        }
        return sawRoot
    }

    /// The entry's path relative to the extraction directory, or nil for the top directory itself.
    private static func relativePath(of raw: UnsafePointer<CChar>?, strippingRoot root: String?) throws -> String? {
        guard let raw else { throw failure("read an archive", reason: "an entry has no name") }
        let name = String(cString: raw)
        guard !name.hasPrefix("/") else {
            throw failure("extract '\(name)'", reason: "absolute paths are not allowed in slugs")
        }
        var parts = name.split(separator: "/").filter { $0 != "." }
        guard !parts.contains("..") else {
            throw failure("extract '\(name)'", reason: "'..' is not allowed in slug paths")
        }
        if let root {
            guard parts.first.map(String.init) == root else { return nil }
            parts.removeFirst()
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    private static func copyData(from reader: OpaquePointer, to disk: OpaquePointer, what: String) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            try check(status, reader, what)
            let written = archive_write_data_block(disk, buffer, size, offset)
            if written < 0 { try check(Int32(written), disk, what) }
        }
    }

    // MARK: - Errors

    static func check(_ status: Int32, _ archive: OpaquePointer, _ action: String) throws {
        guard status < ARCHIVE_WARN else { return }
        throw failure(action, reason: errorText(archive))
    }

    static func errorText(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func failure(_ action: String, reason: String) -> ContainerError {
        ContainerError(code: ContainerError.Code.archiveFailed, message: "cannot \(action): \(reason)")
    }
}

/// Writes a directory tree into an open archive, depth first, in name order.
private struct TreeWriter {
    let archive: OpaquePointer
    let entry: OpaquePointer
    let archivePath: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(archive: OpaquePointer, entry: OpaquePointer, archivePath: String) {
        self.archive = archive
        self.entry = entry
        self.archivePath = archivePath
    }

    mutating func add(hostPath: String, entryPath: String) throws {
        var info = stat()
        guard lstat(hostPath, &info) == 0 else {
            throw SlugArchive.failure("read \(hostPath)", reason: SlugArchive.errnoText())
        }
        let type = info.st_mode & 0o170000
        guard type == 0o040000 || type == 0o100000 || type == 0o120000 else { return }

        archive_entry_clear(entry)
        // tar marks directories with a trailing slash.
        archive_entry_set_pathname(entry, type == 0o040000 ? entryPath + "/" : entryPath)
        archive_entry_set_filetype(entry, UInt32(type))
        archive_entry_set_perm(entry, info.st_mode & 0o7777)
        archive_entry_set_mtime(entry, info.st_mtim.tv_sec, 0)
        archive_entry_set_uid(entry, SlugArchive.ownerID)
        archive_entry_set_gid(entry, SlugArchive.ownerID)
        archive_entry_set_uname(entry, "app")
        archive_entry_set_gname(entry, "app")
        switch type {
        case 0o120000:
            archive_entry_set_symlink(entry, try linkTarget(hostPath, size: Int(info.st_size)))
            try header()
        case 0o100000:
            archive_entry_set_size(entry, la_int64_t(info.st_size))
            try header()
            try copyFile(hostPath)
        default:
            try header()
            for name in try HostFiles.children(of: hostPath) {
                try add(hostPath: hostPath + "/" + name, entryPath: entryPath + "/" + name)
            }
        }
    }

    private func header() throws {
        try SlugArchive.check(archive_write_header(archive, entry), archive, "write \(archivePath)")
    }

    private mutating func copyFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SlugArchive.failure("read \(path)", reason: SlugArchive.errnoText()) }
        defer { close(descriptor) }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return }
            guard count > 0 else { throw SlugArchive.failure("read \(path)", reason: SlugArchive.errnoText()) }
            let written = buffer.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, count) }
            guard written >= 0 else {
                throw SlugArchive.failure("write \(archivePath)", reason: SlugArchive.errorText(archive))
            }
        }
    }

    private func linkTarget(_ path: String, size: Int) throws -> String {
        var target = [CChar](repeating: 0, count: max(size, 255) + 1)
        let count = readlink(path, &target, target.count - 1)
        guard count >= 0 else { throw SlugArchive.failure("read the symlink \(path)", reason: SlugArchive.errnoText()) }
        return String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
