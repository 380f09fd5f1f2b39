import Logging
import PaasTesting
import Testing

@testable import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.small))
struct OverlayOptionTests {
    @Test func overlayOptionsRejectSeparatorsAndRelativePaths() {
        #expect(OverlayRoot.isUsableInOverlayOptions("/var/lib/paas/builds/b-1/overlay/upper"))
        for path in ["relative/dir", "/a,b", "/a:b", "/a\\b", "/a\nb"] {
            #expect(!OverlayRoot.isUsableInOverlayOptions(path), "\(path)")
        }
    }
}

/// Overlay roots over a small fake stack.
@Suite(.tags(.medium), .serialized)
struct OverlayRootTests {
    let logger = Logger(label: "paas.containers.test")

    @Test func writesGoToTheUpperLayerAndUnmountLeavesTheLowerLayersAlone() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-overlay-test")
        let overlay = OverlayRoot(
            lowerLayers: [root + "/slug", root + "/stack"], upper: root + "/layer/upper", work: root + "/layer/work",
            mountPoint: root + "/rootfs")
        defer {
            try? overlay.unmount(logger: logger)
            TemporaryDirectory.remove(root)
        }
        try TestFiles.write("stack file\n", to: root + "/stack/etc/os-release")
        try TestFiles.write("slug file\n", to: root + "/slug/app/Procfile")
        chmod(root + "/slug", 0o751)

        try overlay.mount()
        #expect(overlay.isMounted)
        #expect(Set(MountTable.mountPoints(atOrUnder: root) ?? []) == [overlay.scratch, overlay.mountPoint])
        #expect(TestFiles.read(overlay.mountPoint + "/etc/os-release") == "stack file\n")
        #expect(TestFiles.read(overlay.mountPoint + "/app/Procfile") == "slug file\n")
        try TestFiles.write("new\n", to: overlay.mountPoint + "/etc/new-file")
        var info = stat()
        #expect(stat(overlay.mountPoint, &info) == 0 && info.st_mode & 0o777 == 0o751)

        #expect(TestFiles.read(root + "/layer/upper/etc/new-file") == "new\n", "the write went to the upper layer")
        try overlay.unmount(logger: logger)
        #expect(!overlay.isMounted)
        #expect(MountTable.mountPoints(atOrUnder: root) == [], "the writable layer's tmpfs is gone too")
        #expect(try HostFiles.children(of: root + "/stack/etc") == ["os-release"])
        try overlay.unmount(logger: logger)  // nothing mounted: fine
    }

    @Test func missingStackIsASetupError() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-overlay-test")
        defer { TemporaryDirectory.remove(root) }
        let overlay = OverlayRoot(
            lowerLayers: [root + "/missing"], upper: root + "/layer/upper", work: root + "/layer/work", mountPoint: root + "/rootfs")
        let error = try #require(throws: ContainerError.self) { try overlay.mount() }
        #expect(error.code == ContainerError.Code.setupFailed)
        #expect(!overlay.isMounted)
    }
}

@Suite(.tags(.small))
struct LineSplitterTests {
    @Test func splitsLinesAcrossChunksAndCutsLongOnes() {
        var splitter = LineSplitter(maxLength: 8)
        var lines: [String] = []
        for chunk in ["one\ntw", "o\r\nthree-is-long\n", "tail"] {
            lines += Array(chunk.utf8).withUnsafeBytes { splitter.append($0) }
        }
        #expect(lines == ["one", "two", "three-is", "-long"])
        #expect(splitter.finish() == "tail")
        #expect(splitter.finish() == nil)
    }
}

@Suite(.tags(.small))
struct OCIConfigurationTests {
    @Test func encodesNamespacePathsAndOmitsUnsetFields() throws {
        let configuration = OCIConfiguration(
            process: .init(user: .init(uid: 10000, gid: 10000), args: ["/bin/true"], env: [], cwd: "/", rlimits: []),
            root: .init(path: "/r", readonly: true), hostname: "web.1", mounts: OCIConfiguration.Mount.standard,
            linux: .init(
                namespaces: [.init(type: "pid"), .init(type: "network", path: "/run/netns/x")],
                resources: .init(memory: .init(limit: 1, swap: 1), pids: .init(limit: 2)),
                cgroupsPath: "/paas/a/web.1", seccomp: .standard))
        let json = try configuration.json()
        #expect(json.contains("\"path\" : \"\\/run\\/netns\\/x\"") || json.contains("\"path\" : \"/run/netns/x\""), "\(json)")
        #expect(!json.contains("\"cpu\""))
        #expect(json.contains("\"noNewPrivileges\" : true"))
    }
}
