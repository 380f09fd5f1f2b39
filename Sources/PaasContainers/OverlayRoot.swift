// A container's own root filesystem: an overlay whose lower layers are shared and read-only (a
// stack) and whose upper layer belongs to the container.
//
// runc creates the mount points a container needs (`/cache`, `/etc/pip.conf`, `/run/paas`, ...)
// in its root before it makes the root read-only. On a bare stack directory that would write
// into the shared stack, which is read-only at run time; on the overlay they land
// in the container's upper layer and go away with it.
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// An overlayfs root filesystem: `lowerLayers` (read-only, first on top), `upper` (the
/// container's writes), `work` (overlayfs's scratch space, on the upper layer's filesystem),
/// mounted at `mountPoint`.
///
/// `upper` and `work` live on a tmpfs of their own, mounted at their common parent directory:
/// overlayfs refuses an upper layer on a filesystem that is itself an overlay, which is what a
/// host running in a container or from a live image has. The tmpfs also caps what a container
/// can write outside `/app`, `/tmp` and its volumes (`writableLayerSize`), and its pages count
/// against the container's memory limit.
public struct OverlayRoot: Sendable {
    /// Read-only lower layers, the topmost first (e.g. `[stack]`).
    public var lowerLayers: [String]
    /// Where the container's writes go.
    public var upper: String
    /// overlayfs's work directory; on the same filesystem as `upper`.
    public var work: String
    /// Where the overlay is mounted: the container's root (`root.path` of the OCI config).
    public var mountPoint: String

    /// The most a container may write to its root filesystem, in bytes.
    public var writableLayerSize: Int64 = 1 << 30

    public init(lowerLayers: [String], upper: String, work: String, mountPoint: String) {
        self.lowerLayers = lowerLayers
        self.upper = upper
        self.work = work
        self.mountPoint = mountPoint
    }

    /// The directory holding `upper` and `work`, where their tmpfs is mounted.
    public var scratch: String {
        upper.lastIndex(of: "/").map { String(upper[..<$0]) } ?? upper
    }

    /// Mounts the overlay, creating the upper, work and mount point directories. The upper
    /// layer's top directory gets the mode and owner of the topmost lower layer: it is the
    /// container's `/`.
    public func mount() throws {
        for path in lowerLayers + [upper, work] where !Self.isUsableInOverlayOptions(path) {
            throw ContainerError(
                code: ContainerError.Code.setupFailed,
                message: "cannot mount the container's root filesystem: \(path) must be an absolute path "
                    + "without ',', ':' or '\\' (choose another stack or work directory)")
        }
        guard let top = lowerLayers.first else {
            throw ContainerError(code: ContainerError.Code.setupFailed, message: "an overlay root needs a lower layer")
        }
        var info = stat()
        for layer in lowerLayers {
            guard stat(layer, &info) == 0, info.st_mode & 0o170000 == 0o040000 else {
                throw ContainerError(
                    code: ContainerError.Code.setupFailed,
                    message: "the stack \(layer) is not a directory; build it with `stacks/build-stack`")
            }
        }
        guard work.lastIndex(of: "/").map({ String(work[..<$0]) }) == scratch, !scratch.isEmpty else {
            throw ContainerError(code: ContainerError.Code.setupFailed, message: "an overlay's upper and work directories must share a parent")
        }
        stat(top, &info)
        try HostFiles.makeDirectory(mountPoint, mode: 0o755)
        try HostFiles.makeDirectory(scratch, mode: 0o700)
        guard Glibc.mount("tmpfs", scratch, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "size=\(writableLayerSize),mode=0700") == 0 else {
            throw Self.failure("mount the writable layer at", scratch)
        }
        try HostFiles.makeDirectory(upper, mode: info.st_mode & 0o7777)
        guard chown(upper, info.st_uid, info.st_gid) == 0 else { throw Self.failure("chown", upper) }
        try HostFiles.makeDirectory(work, mode: 0o700)
        let options = "lowerdir=\(lowerLayers.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
        guard Glibc.mount("overlay", mountPoint, "overlay", 0, options) == 0 else {
            let failure = Self.failure("mount an overlay of \(top) at", mountPoint)
            umount2(scratch, Int32(MNT_DETACH))
            throw failure
        }
    }

    /// Unmounts the overlay at `mountPoint`, then the writable layer's tmpfs, lazily
    /// (`MNT_DETACH`) when busy; nothing mounted is fine. Asks the kernel (umount2 until EINVAL),
    /// not the mount table.
    public func unmount(logger: Logger) throws {
        try Self.unmountAll(at: mountPoint, logger: logger)
        try Self.unmountAll(at: scratch, logger: logger)
    }

    private static func unmountAll(at path: String, logger: Logger) throws {
        // More than one round only if something was mounted there more than once.
        for _ in 0..<8 {
            if umount2(path, 0) == 0 { continue }
            switch errno {
            case EINVAL, ENOENT:
                return  // not a mount point (any more), or no such directory
            case EBUSY:
                guard umount2(path, Int32(MNT_DETACH)) == 0 else {
                    throw failure("unmount", path, code: ContainerError.Code.ioFailed)
                }
                logger.warning("filesystem busy; detached it lazily", metadata: ["path": "\(path)"])
            default:
                throw failure("unmount", path, code: ContainerError.Code.ioFailed)
            }
        }
        throw ContainerError(code: ContainerError.Code.ioFailed, message: "cannot unmount \(path): still mounted")
    }

    /// Whether something is mounted at `mountPoint`: its device differs from its parent
    /// directory's.
    public var isMounted: Bool {
        var parentInfo = stat()
        var info = stat()
        let parent = mountPoint.lastIndex(of: "/").map { String(mountPoint[..<$0]) } ?? "/"
        guard lstat(parent.isEmpty ? "/" : parent, &parentInfo) == 0, lstat(mountPoint, &info) == 0 else { return false }
        return info.st_dev != parentInfo.st_dev
    }

    /// Whether the kernel's overlay option parser takes `path` as is (it splits on ',' and ':'
    /// and treats '\' as an escape).
    public static func isUsableInOverlayOptions(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.contains(where: { ",:\\".contains($0) || $0.isNewline })
    }

    private static func failure(
        _ action: String, _ path: String, code: String = ContainerError.Code.setupFailed
    ) -> ContainerError {
        ContainerError(code: code, message: "cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
