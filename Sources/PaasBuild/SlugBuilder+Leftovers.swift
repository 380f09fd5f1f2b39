// Builds a crashed process left behind: found and removed when the next one starts.
import Logging
import PaasContainers

extension SlugBuilder {
    /// Kills and removes every build container of this builder (`paas-build-<id>` with its bundle
    /// in `workDirectory`), its cgroups, and every build work directory left there, unmounting
    /// its root filesystem first. Build containers of other builders on the host (another work
    /// directory) and the kept caches are left alone. Returns the build ids it removed.
    ///
    /// Call it before the first build: it removes running builds as well.
    @discardableResult
    public func removeLeftovers() async throws -> [String] {
        let workDirectory = configuration.workDirectory
        let runtime = ContainerRuntime(program: configuration.runtime)
        var removed: Set<String> = []
        for container in try await runtime.list()
        where container.id.hasPrefix(BuildContainer.idPrefix) && container.bundle.hasPrefix(workDirectory + "/") {
            let buildID = String(container.id.dropFirst(BuildContainer.idPrefix.count))
            logger.warning("removing a build container left behind", metadata: ["container": "\(container.id)"])
            await runtime.delete(container.id, logger: logger)
            Cgroups.remove(BuildContainer.cgroupsPath(buildID: buildID), logger: logger)
            removed.insert(buildID)
        }
        if HostFiles.isDirectory(workDirectory) {
            // Dot names are the kept caches and trees already on their way out, not builds.
            for name in try HostFiles.children(of: workDirectory) where !name.hasPrefix(".") {
                logger.warning("removing a build work directory left behind", metadata: ["build_id": "\(name)"])
                try BuildWorkspace(root: workDirectory + "/" + name).remove(logger: logger)
                removed.insert(name)
            }
            BuildWorkspace.removeDiscarded(in: workDirectory)
        }
        return removed.sorted()
    }
}
