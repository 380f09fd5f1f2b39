// The OCI configuration of a build container.
import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

extension OCIConfiguration {
    /// The host directories and files a build container gets.
    struct BuildMounts: Sendable {
        /// Becomes `/app`, read-write.
        var app: String
        /// Becomes `/cache`, read-write.
        var cache: String
        /// Becomes `/env`, read-only: one file per config var.
        var env: String
        /// Becomes `/run/paas/output`, read-write: what the driver reports to the host.
        var output: String
        /// Becomes `/run/paas/driver`, read-only.
        var driver: String
        /// Becomes `/etc/resolv.conf`, read-only.
        var resolvConf: String
        /// Buildpack directories on the host and where they appear in the container; read-only
        /// unless `writable` (a per-build clone, where a classic buildpack may write its `export`).
        var buildpacks: [(host: String, container: String, writable: Bool)]
        /// Host directories that appear at the same path, read-only (local pip find-links).
        var sharedDirectories: [String] = []
    }

    /// A build container on `rootFilesystem` (read-only), running `args` as the user `app`
    /// (10000:10000) under tini, without capabilities, with the build seccomp profile and the
    /// given memory limit (no swap) and CPU limit (in cores, at half an app's CPU weight) under
    /// `cgroupsPath`.
    ///
    /// `rootFilesystem` is the build's own overlay over the build stack, never the stack itself:
    /// runc creates missing mount points (`/cache`, `/env`, `/buildpacks`, `/etc/pip.conf`, ...)
    /// in the root before making it read-only, which would write into the shared stack.
    ///
    /// Network: the namespace at `networkNamespace` (an `IsolatedNetwork`'s: the platform
    /// bridge, NAT to the outside, the platform's DNS, no app's processes), or without one a new
    /// empty namespace with only loopback. Never the host's.
    static func build(
        rootFilesystem: String, mounts: BuildMounts, args: [String], environment: [String: String],
        memoryLimit: Int64, cpuLimit: Double, cgroupsPath: String, networkNamespace: String?
    ) -> OCIConfiguration {
        var list: [Mount] = Mount.standard + [
            .tmpfs(at: "/tmp", options: ["nosuid", "nodev", "mode=1777"]),
            .tmpfs(at: "/run", options: ["nosuid", "nodev", "noexec", "mode=755", "size=1m"]),
            .bind(mounts.output, at: BuildDriverScript.outputPath, readOnly: false),
            .bind(mounts.driver, at: BuildDriverScript.containerPath, readOnly: true),
            .bind(mounts.app, at: "/app", readOnly: false),
            .bind(mounts.cache, at: "/cache", readOnly: false),
            .bind(mounts.env, at: "/env", readOnly: true),
            .bind(mounts.resolvConf, at: "/etc/resolv.conf", readOnly: true),
            .tmpfs(at: "/buildpacks", options: ["nosuid", "nodev", "mode=755", "size=1m"]),
        ]
        list += mounts.buildpacks.map { .bind($0.host, at: $0.container, readOnly: !$0.writable) }
        list += mounts.sharedDirectories.map { .bind($0, at: $0, readOnly: true) }
        // The host's view of TLS: its CA bundle may trust an egress proxy's CA.
        for file in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pip.conf"] where access(file, R_OK) == 0 {
            list.append(.bind(file, at: file, readOnly: true))
        }

        return OCIConfiguration(
            process: Process(
                user: User(uid: 10000, gid: 10000),
                args: underInit(args),
                env: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                cwd: "/app",
                rlimits: standardRlimits),
            root: Root(path: rootFilesystem, readonly: true),
            hostname: "build",
            mounts: list,
            linux: Linux(
                namespaces: ["pid", "ipc", "uts", "mount", "cgroup"].map { Namespace(type: $0) }
                    + [Namespace(type: "network", path: networkNamespace)],
                resources: Resources(
                    memory: Memory(limit: memoryLimit, swap: memoryLimit),
                    pids: Pids(limit: 4096),
                    cpu: .limited(to: cpuLimit, shares: 512),
                    devices: [DeviceRule(allow: false, access: "rwm")]),
                cgroupsPath: cgroupsPath,
                seccomp: .standard))
    }
}
