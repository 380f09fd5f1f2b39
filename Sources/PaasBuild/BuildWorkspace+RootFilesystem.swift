// Each build container's own root filesystem: an overlay whose lower layer is the shared build
// stack and whose upper layer is in the build's workspace.
//
// runc creates the mount points a container needs (`/cache`, `/env`, `/etc/pip.conf`, ...) in
// its root before it makes the root read-only. On the bare stack directory that wrote into the
// shared stack, which is read-only at run time (DESIGN.md); on the overlay they land in the
// build's upper layer and go away with the workspace.
import Logging

#if canImport(Glibc)
import Glibc
#endif

extension BuildWorkspace {
    /// Mounts the overlay at `rootFilesystem` with `stack` as its lower layer. The upper layer's
    /// top directory gets the stack root's mode and owner: it is the container's `/`.
    func mountRootFilesystem(stack: String) throws {
        for path in [stack, overlayUpper, overlayWork] where !Self.isUsableInOverlayOptions(path) {
            throw BuildError(
                code: BuildError.Code.containerFailed,
                message: "cannot mount the build's root filesystem: \(path) must be an absolute path "
                    + "without ',', ':' or '\\' (choose another build stack or work directory)")
        }
        var info = stat()
        guard stat(stack, &info) == 0, info.st_mode & 0o170000 == 0o040000 else {
            throw BuildError(
                code: BuildError.Code.containerFailed,
                message: "the build stack \(stack) is not a directory; build it with `stacks/build-stack build`")
        }
        try HostFiles.makeDirectory(rootFilesystem, mode: 0o755)
        try HostFiles.makeDirectory(overlayUpper, mode: info.st_mode & 0o7777)
        guard chown(overlayUpper, info.st_uid, info.st_gid) == 0 else { throw Self.failure("chown", overlayUpper) }
        try HostFiles.makeDirectory(overlayWork, mode: 0o700)
        let options = "lowerdir=\(stack),upperdir=\(overlayUpper),workdir=\(overlayWork)"
        guard mount("overlay", rootFilesystem, "overlay", 0, options) == 0 else {
            throw Self.failure("mount an overlay of the build stack at", rootFilesystem)
        }
    }

    /// Unmounts whatever is mounted at `rootFilesystem`, lazily (`MNT_DETACH`) when it is busy;
    /// nothing mounted is fine. Asks the kernel (umount2 until EINVAL), not the mount table.
    func unmountRootFilesystem(logger: Logger) throws {
        // More than one round only if the overlay was mounted more than once.
        for _ in 0..<8 {
            if umount2(rootFilesystem, 0) == 0 { continue }
            switch errno {
            case EINVAL, ENOENT:
                return  // not a mount point (any more), or no such directory
            case EBUSY:
                guard umount2(rootFilesystem, Int32(MNT_DETACH)) == 0 else {
                    throw Self.failure("unmount", rootFilesystem, code: BuildError.Code.ioFailed)
                }
                logger.warning("build root filesystem busy; detached it lazily", metadata: ["path": "\(rootFilesystem)"])
            default:
                throw Self.failure("unmount", rootFilesystem, code: BuildError.Code.ioFailed)
            }
        }
        throw BuildError(code: BuildError.Code.ioFailed, message: "cannot unmount \(rootFilesystem): still mounted")
    }

    /// Whether something is mounted at `rootFilesystem`: its device differs from the workspace's.
    var isRootFilesystemMounted: Bool {
        var workspaceInfo = stat()
        var info = stat()
        guard lstat(root, &workspaceInfo) == 0, lstat(rootFilesystem, &info) == 0 else { return false }
        return info.st_dev != workspaceInfo.st_dev
    }

    /// Whether the kernel's overlay option parser takes `path` as is (it splits on ',' and ':'
    /// and treats '\' as an escape).
    static func isUsableInOverlayOptions(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.contains(where: { ",:\\".contains($0) || $0.isNewline })
    }

    private static func failure(_ action: String, _ path: String, code: String = BuildError.Code.containerFailed) -> BuildError {
        BuildError(code: code, message: "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
