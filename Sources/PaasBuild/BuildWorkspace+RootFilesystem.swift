// Each build container's own root filesystem: an overlay (PaasContainers.OverlayRoot) whose lower
// layer is the shared build stack and whose upper layer is in the build's workspace, so that the
// mount points runc creates land in the workspace, never in the stack.
import Logging
import PaasContainers

extension BuildWorkspace {
    /// The overlay over `stack` at `rootFilesystem`, its layers in the workspace.
    func overlay(stack: String) -> OverlayRoot {
        OverlayRoot(lowerLayers: [stack], upper: overlayUpper, work: overlayWork, mountPoint: rootFilesystem)
    }

    /// Mounts the overlay at `rootFilesystem` with `stack` as its lower layer. The upper layer's
    /// top directory gets the stack root's mode and owner: it is the container's `/`.
    func mountRootFilesystem(stack: String) throws {
        try BuildError.adopting { try overlay(stack: stack).mount() }
    }

    /// Unmounts whatever is mounted at `rootFilesystem`, lazily (`MNT_DETACH`) when it is busy;
    /// nothing mounted is fine.
    func unmountRootFilesystem(logger: Logger) throws {
        // The lower layer plays no part in unmounting.
        try BuildError.adopting { try overlay(stack: "/").unmount(logger: logger) }
    }

    /// Whether something is mounted at `rootFilesystem`.
    var isRootFilesystemMounted: Bool { overlay(stack: "/").isMounted }
}
