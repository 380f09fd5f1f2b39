// A container's cgroups on the host: where they are, what the OOM killer did in them, removal.
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The cgroups of a container, by its `cgroupsPath` (`/paas/<app>/<process>`), on cgroup v1
/// (one directory per controller), v2, or this host's hybrid of both.
public enum Cgroups {
    /// The directories a cgroup path has under `/sys/fs/cgroup` (every v1 controller, or v2).
    public static func directories(of path: String) -> [String] {
        let controllers = (try? HostFiles.children(of: "/sys/fs/cgroup")) ?? []
        return [("/sys/fs/cgroup" + path)] + controllers.map { "/sys/fs/cgroup/\($0)\(path)" }
    }

    /// How many processes the memory cgroup's OOM killer killed (cgroup v1 `memory.oom_control`
    /// or v2 `memory.events`); 0 when the cgroup is gone. Read it before the cgroup is removed
    /// (`runc run --keep`).
    public static func oomKills(in path: String) -> Int {
        let candidates = [
            "/sys/fs/cgroup/memory\(path)/memory.oom_control",
            "/sys/fs/cgroup\(path)/memory.events",
        ]
        for file in candidates {
            guard let text = HostFiles.read(file) else { continue }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 2, fields[0] == "oom_kill", let count = Int(fields[1]) { return count }
            }
        }
        return 0
    }

    /// Removes the cgroup's directories that are left (runc removes them on `delete`, except
    /// when it died first). A directory that still holds processes or child groups stays, with
    /// a warning. Parent directories (`/paas/<app>`) are left alone: another container of the
    /// same app may be being created in them.
    public static func remove(_ path: String, logger: Logger) {
        for directory in directories(of: path) where HostFiles.exists(directory) {
            if rmdir(directory) != 0, errno != ENOENT {
                logger.warning(
                    "cannot remove the container's cgroup",
                    metadata: ["cgroup": "\(directory)", "error": "\(String(cString: strerror(errno)))"])
            }
        }
    }
}
