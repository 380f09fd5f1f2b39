// Containers a runner left behind when it died: found and removed at the next start.
import FoundationEssentials
import Logging
import PaasContainers

extension RunContainer {
    /// Kills and removes every run container of this runner (its bundle in `containersDirectory`)
    /// whose id starts with `prefix` (`paas.` for all of them, `paas.<app>.` for one app's):
    /// those `runc list` knows, and any directory in `containersDirectory` whose container the
    /// runtime never created or has deleted already. Containers of other runners on the host
    /// (another data directory) are left alone.
    /// Their cgroups, overlay mounts and directories go too. Returns the ids it removed.
    ///
    /// Call it before the runner starts containers: it removes running ones as well.
    @discardableResult
    public static func removeLeftovers(
        prefix: String = RunContainer.idPrefix, in containersDirectory: String,
        runtime: ContainerRuntime = ContainerRuntime(), logger: Logger
    ) async throws -> [String] {
        precondition(prefix.hasPrefix(idPrefix), "run container ids start with \(idPrefix)")
        var found: [String: String] = [:]  // id -> directory
        for container in try await runtime.list()
        where container.id.hasPrefix(prefix) && container.bundle.hasPrefix(containersDirectory + "/") {
            found[container.id] = container.bundle
        }
        if HostFiles.isDirectory(containersDirectory) {
            for name in try HostFiles.children(of: containersDirectory) where name.hasPrefix(prefix) {
                found[name] = found[name] ?? containersDirectory + "/" + name
            }
        }
        for (id, directory) in found.sorted(by: { $0.key < $1.key }) {
            logger.warning("removing a container left behind", metadata: ["container": "\(id)", "directory": "\(directory)"])
            let overlay = OverlayRoot(
                lowerLayers: [], upper: directory + "/overlay/upper", work: directory + "/overlay/work",
                mountPoint: directory + "/rootfs")
            // Only a directory that looks like a container's is removed, whatever runc says.
            let ownDirectory = directory.hasSuffix("/" + id) && HostFiles.exists(directory + "/config.json")
            await remove(
                id: id, files: ownDirectory ? (directory, overlay) : nil, cgroupsPath: cgroupsPath(inBundle: directory),
                runtime: runtime, logger: logger)
        }
        return found.keys.sorted()
    }

    /// The `linux.cgroupsPath` of a bundle's `config.json`, if it can be read.
    static func cgroupsPath(inBundle directory: String) -> String? {
        struct Bundle: Decodable {
            struct Linux: Decodable { var cgroupsPath: String? }
            var linux: Linux?
        }
        guard let text = HostFiles.read(directory + "/config.json"),
            let bundle = try? JSONDecoder().decode(Bundle.self, from: Data(text.utf8)),
            let path = bundle.linux?.cgroupsPath, path.hasPrefix("/paas/"), !path.contains("..")
        else { return nil }
        return path
    }
}
