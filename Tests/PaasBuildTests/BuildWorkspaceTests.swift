import PaasTesting
import Testing
import Logging
import PaasContainers

@testable import PaasBuild

#if canImport(Glibc)
import Glibc
#endif

/// The overlay root filesystem and the guarded removal of a workspace, on a small fake stack.
@Suite(.tags(.medium), .serialized)
struct BuildWorkspaceTests {
    let logger = Logger(label: "paas.build.test")

    @Test func overlayTakesWritesAndRemovalLeavesTheStackAlone() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-workspace-test")
        defer { TemporaryDirectory.remove(root) }
        let stack = root + "/stack"
        try TestFiles.write("stack file\n", to: stack + "/etc/os-release")
        chmod(stack, 0o755)
        let workspace = try BuildWorkspace.create(in: root + "/builds", buildID: "b1", logger: logger)

        try workspace.mountRootFilesystem(stack: stack)
        #expect(Set(MountTable.mountPoints(atOrUnder: workspace.root) ?? []).contains(workspace.rootFilesystem))
        #expect(TestFiles.read(workspace.rootFilesystem + "/etc/os-release") == "stack file\n")
        try TestFiles.write("", to: workspace.rootFilesystem + "/etc/pip.conf")
        mkdir(workspace.rootFilesystem + "/cache", 0o755)
        var info = stat()
        #expect(stat(workspace.rootFilesystem, &info) == 0 && info.st_mode & 0o777 == 0o755)

        try workspace.remove(logger: logger)
        #expect(!TestFiles.exists(workspace.root))
        #expect(try HostFiles.children(of: stack) == ["etc"])
        #expect(try HostFiles.children(of: stack + "/etc") == ["os-release"])
        #expect(TestFiles.read(stack + "/etc/os-release") == "stack file\n")
    }

    @Test func workspaceWithAMountInsideIsNotRemoved() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-workspace-test")
        let workspace = try BuildWorkspace.create(in: root + "/builds", buildID: "b2", logger: logger)
        let mounted = workspace.root + "/app"
        mkdir(mounted, 0o755)
        try #require(mount("tmpfs", mounted, "tmpfs", 0, "size=1m") == 0)
        defer {
            umount2(mounted, Int32(MNT_DETACH))
            TemporaryDirectory.remove(root)
        }
        try TestFiles.write("keep me\n", to: mounted + "/file")

        let error = try #require(throws: BuildError.self) { try workspace.remove(logger: logger) }
        #expect(error.message.contains("refusing to remove"), "\(error)")
        #expect(TestFiles.read(mounted + "/file") == "keep me\n")
    }

    @Test func busyRootFilesystemIsDetachedBeforeRemoval() throws {
        let root = try TemporaryDirectory.make(prefix: "paas-workspace-test")
        defer { TemporaryDirectory.remove(root) }
        let stack = root + "/stack"
        try TestFiles.write("stack file\n", to: stack + "/etc/os-release")
        let workspace = try BuildWorkspace.create(in: root + "/builds", buildID: "b3", logger: logger)
        try workspace.mountRootFilesystem(stack: stack)
        #expect(workspace.isRootFilesystemMounted)
        // An open directory in the overlay keeps it busy: a plain unmount fails with EBUSY.
        let busy = open(workspace.rootFilesystem + "/etc", O_RDONLY | O_DIRECTORY)
        try #require(busy >= 0)
        defer { close(busy) }

        try workspace.remove(logger: logger)
        #expect(!TestFiles.exists(workspace.root))
        #expect(TestFiles.read(stack + "/etc/os-release") == "stack file\n")
    }
}
