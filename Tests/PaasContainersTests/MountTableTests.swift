import PaasTesting
import Testing

@testable import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.small))
struct MountTableTests {
    @Test func mountPointsAreReadFromMountinfoWithEscapesDecoded() {
        let mountinfo = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            512 27 0:88 / /tmp/a\\040b/rootfs rw,relatime - overlay overlay rw,lowerdir=/s,upperdir=/u,workdir=/w
            513 27 0:89 / /tmp/back\\134slash rw - tmpfs tmpfs rw
            """
        #expect(MountTable.mountPoints(in: mountinfo) == ["/", "/tmp/a b/rootfs", "/tmp/back\\slash"])
    }
}

/// Reading /proc files past their first page, which FileManager does not.
@Suite(.tags(.medium), .serialized)
struct ProcFileTests {
    @Test func mountTableAndHostFilesSeePastTheFirstPageOfMountinfo() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-containers-test")
        var mounted: [String] = []
        defer {
            for path in mounted { umount2(path, Int32(MNT_DETACH)) }
            TemporaryDirectory.remove(root)
        }
        for number in 0..<64 {
            let path = root + "/mount-point-with-a-rather-long-name-\(number)"
            mkdir(path, 0o755)
            try #require(mount("tmpfs", path, "tmpfs", 0, "size=64k") == 0)
            mounted.append(path)
        }
        let text = try #require(HostFiles.read("/proc/self/mountinfo"))
        #expect(text.utf8.count > 8192)
        #expect(text.contains("mount-point-with-a-rather-long-name-63"))
        #expect(MountTable.mountPoints(atOrUnder: root) == mounted)
    }

    @Test func hostFilesReadsMissingFilesAsNil() {
        #expect(HostFiles.read("/nonexistent/paas-file") == nil)
    }
}
