import PaasTesting
import Testing

@testable import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.small))
struct SlugArchiveTests {
    @Test func roundTripKeepsFilesSymlinksModesAndTimes() async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-archive")
        defer { TemporaryDirectory.remove(root) }
        let app = root + "/app"
        try TestFiles.write("#!/bin/sh\necho hi\n", to: app + "/bin/run", mode: 0o750)
        try TestFiles.write("secret-free text\n", to: app + "/data/notes.txt", mode: 0o600)
        try TestFiles.write(String(repeating: "0123456789", count: 20_000), to: app + "/data/big.txt")
        symlink("bin/run", app + "/start")
        symlink("/etc/hostname", app + "/absolute-link")
        chmod(app + "/data", 0o700)
        var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, app + "/data/notes.txt", &times, 0)

        let size = try SlugArchive.create(from: app, at: root + "/slug.tgz")
        #expect(size > 0 && size < 10_000)

        let listing = try await run("/bin/tar", ["-tvzf", root + "/slug.tgz", "--numeric-owner"])
        let lines = listing.split(separator: "\n")
        #expect(lines.first?.hasSuffix("./app/") == true, "\(listing)")
        #expect(lines.contains { $0.contains("./app/bin/run") && $0.hasPrefix("-rwxr-x---") })
        #expect(lines.allSatisfy { $0.contains(" 10000/10000 ") }, "\(listing)")
        let names = try await run("/bin/tar", ["-tvzf", root + "/slug.tgz"])
        #expect(names.split(separator: "\n").allSatisfy { $0.contains(" app/app ") }, "\(names)")

        let out = root + "/out"
        mkdir(out, 0o755)
        try SlugArchive.extract(root + "/slug.tgz", to: out)
        #expect(TestFiles.read(out + "/bin/run") == "#!/bin/sh\necho hi\n")
        #expect(TestFiles.read(out + "/data/big.txt")?.count == 200_000)
        #expect(mode(out + "/bin/run") == 0o750)
        #expect(mode(out + "/data/notes.txt") == 0o600)
        #expect(mode(out + "/data") == 0o700)
        #expect(linkTarget(out + "/start") == "bin/run")
        #expect(linkTarget(out + "/absolute-link") == "/etc/hostname")
        var info = stat()
        lstat(out + "/data/notes.txt", &info)
        #expect(info.st_mtim.tv_sec == 1_600_000_000)
        #expect(info.st_uid == 10000 && info.st_gid == 10000)
        #expect(!TestFiles.exists(out + "/app"))
    }

    @Test func slugsWithoutTheAppPrefixExtractToo() async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-archive")
        defer { TemporaryDirectory.remove(root) }
        try TestFiles.write("web: ./run\n", to: root + "/src/Procfile")
        try TestFiles.write("x", to: root + "/src/app/models.rb")
        try await run("/bin/tar", ["-czf", root + "/plain.tgz", "-C", root + "/src", "."])
        mkdir(root + "/out", 0o755)
        try SlugArchive.extract(root + "/plain.tgz", to: root + "/out")
        #expect(TestFiles.read(root + "/out/Procfile") == "web: ./run\n")
        #expect(TestFiles.read(root + "/out/app/models.rb") == "x")
    }

    @Test(arguments: ["../escape", "/etc/evil"])
    func unsafePathsAreRefused(name: String) async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-archive")
        defer { TemporaryDirectory.remove(root) }
        try TestFiles.write("x", to: root + "/src/file")
        try await run(
            "/bin/tar",
            ["-czf", root + "/evil.tgz", "-C", root + "/src", "--absolute-names", "--transform", "s,^file$,\(name),", "file"])
        mkdir(root + "/out", 0o755)
        let error = try #require(throws: ContainerError.self) { try SlugArchive.extract(root + "/evil.tgz", to: root + "/out") }
        #expect(error.code == ContainerError.Code.archiveFailed)
        #expect(!TestFiles.exists(root + "/escape"))
    }

    @Test func garbageIsAnArchiveError() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-archive")
        defer { TemporaryDirectory.remove(root) }
        try TestFiles.write("not a tar file at all", to: root + "/bad.tgz")
        #expect(throws: ContainerError.self) { try SlugArchive.extract(root + "/bad.tgz", to: root) }
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o7777
    }

    private func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
