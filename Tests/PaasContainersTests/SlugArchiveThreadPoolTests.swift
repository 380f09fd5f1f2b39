import PaasTesting
import Synchronization
import Testing

@testable import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// Packing and unpacking run on NIO's blocking-I/O pool: while several large slugs are packed at
/// once (more than the cooperative pool has threads), async work elsewhere in the process — the
/// API answering `/healthz`, say — still gets to run.
@Suite(.tags(.medium))
struct SlugArchiveThreadPoolTests {
    @Test func asyncWorkKeepsRunningWhileLargeSlugsArePacked() async throws {
        let root = try TemporaryDirectory.make(prefix: "paas-slug-pool")
        defer { TemporaryDirectory.remove(root) }
        // 24 MiB that do not compress: packing takes a while even at gzip level 1.
        mkdir(root + "/app", 0o755)
        for index in 0..<6 {
            try await run("/bin/sh", ["-c", "head -c 4194304 /dev/urandom > \(root)/app/part-\(index)"])
        }
        let packs = max(4, 2 * sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let packing = Atomic<Bool>(true)
        let answeredWhilePacking = Atomic<Int>(0)

        let ticker = Task {
            while packing.load(ordering: .relaxed) {
                // One "request": a hop through the cooperative pool, as a handler's would be.
                try? await Task.sleep(for: .milliseconds(2))
                if packing.load(ordering: .relaxed) { answeredWhilePacking.add(1, ordering: .relaxed) }
            }
        }
        let sizes = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<packs {
                group.addTask { try await SlugArchive.pack(from: root + "/app", at: root + "/slug-\(index).tgz") }
            }
            var sizes: [Int64] = []
            for try await size in group { sizes.append(size) }
            return sizes
        }
        packing.store(false, ordering: .relaxed)
        await ticker.value

        #expect(sizes.count == packs && sizes.allSatisfy { $0 > 24 << 20 })
        // Packed inline, the packs would hold every cooperative thread and nothing would answer.
        #expect(answeredWhilePacking.load(ordering: .relaxed) >= 3)

        mkdir(root + "/out", 0o755)
        try await SlugArchive.unpack(root + "/slug-0.tgz", to: root + "/out")
        #expect(TestFiles.exists(root + "/out/part-5"))
        try await SlugArchive.removeTree(root + "/out")
        #expect(!TestFiles.exists(root + "/out"))
    }
}
