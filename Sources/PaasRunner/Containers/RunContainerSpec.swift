// What one app process's container is: its OCI configuration and the small files it gets.
import PaasContainers
import PaasCore

/// One app process (`web.1` of release v3 of app `shop`) as a container.
///
/// The container's root is an overlay over the run stack (read-only lower layer) with a
/// per-container writable upper layer; `/app` is the extracted slug, read-only; `/tmp` a small
/// tmpfs; `/run/paas` (read-only) holds `slug-runner` and the release's process types;
/// `/etc/resolv.conf` and `/etc/hosts` are the container's own files. PID 1 is tini, which
/// runs `slug-runner` with the process type or command, as `app` (10000:10000), without
/// capabilities, with `noNewPrivileges`, the platform's seccomp profile and cgroup limits under
/// `/paas/<app>/<process>-<instance>`.
public struct RunContainerSpec: Sendable {
    /// The app's name (`shop`).
    public var app: String
    /// The release the process runs (`v3`), given to it as `PAAS_RELEASE`.
    public var release: String
    /// The process's name, `<type>.<index>` (`web.1`): `DYNO`, `PS` and the hostname.
    public var processName: String
    /// What to run: a process type (`["web"]`) or a command (`["rake", "db:migrate"]`, or one
    /// command line `["echo $PORT"]`); see `slug-runner`.
    public var command: [String]
    /// The config vars. The platform's own variables (`HOME`, `PORT`, `DYNO`, `PS`, `PAAS_APP`,
    /// `PAAS_RELEASE`) override them; `PATH` and `LANG` have defaults that they may override.
    public var environment: [String: String] = [:]
    /// The release's process types (the Procfile merged with the buildpacks' defaults), written
    /// to `/run/paas/process-types` for `slug-runner`.
    public var processTypes: [String: String] = [:]
    /// `PORT`: where a web process must listen.
    public var port: Int = 5000
    /// The run stack's root filesystem (`stacks/build-stack run DATA_DIR` prints it).
    public var stackPath: String
    /// The extracted slug's `app/` directory (`SlugCache.prepare`).
    public var slugPath: String
    /// The host's copy of `slug-runner/slug-runner`.
    public var slugRunnerPath: String
    /// The network namespace to join (`/run/netns/<name>`); nil gives the container a new,
    /// empty one with only loopback.
    public var networkNamespace: String?
    /// The container's address on the platform network, named in its `/etc/hosts` as its
    /// hostname; nil names 127.0.1.1.
    public var address: String?
    /// The resolver for `/etc/resolv.conf` (the platform's DNS server on the bridge); nil
    /// writes a resolv.conf without a nameserver (no name resolution).
    public var nameserver: String?
    /// Memory limit in bytes, swap not included (no swap on top).
    public var memoryLimit: Int64 = Int64(Self.defaultMemoryMiB) << 20
    /// The most processes and threads.
    public var pidsLimit: Int64 = 512
    /// The memory limit of a process whose type was not resized, in MiB.
    public static let defaultMemoryMiB = 512
    /// CPU weight against other containers (cgroup `cpu.shares`; 1024 is the kernel's default).
    public var cpuShares: UInt64 = 1024
    /// A terminal of this size as the process's standard streams (interactive runs); nil: pipes.
    /// The process also gets `COLUMNS`, `LINES` and (unless set) `TERM=xterm`.
    public var terminal: OCIConfiguration.ConsoleSize?
    /// The size of the `/tmp` tmpfs in bytes (its pages count against the memory limit).
    public var temporarySize: Int64 = 64 << 20

    public init(
        app: String, release: String, processName: String, command: [String], stackPath: String, slugPath: String,
        slugRunnerPath: String
    ) {
        self.app = app
        self.release = release
        self.processName = processName
        self.command = command
        self.stackPath = stackPath
        self.slugPath = slugPath
        self.slugRunnerPath = slugRunnerPath
    }

    /// The stacks' user and group `app`.
    public static let appUser: UInt32 = 10000
    /// Where `slug-runner` and the process types are in the container.
    public static let runDirectory = "/run/paas"
    /// The container's default `PATH`; the buildpacks' `.profile.d` scripts prepend theirs.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Checks the names that end up in paths, ids and the OCI configuration.
    public func validate() throws {
        func invalid(_ what: String) -> ContainerError {
            ContainerError(code: ContainerError.Code.setupFailed, message: "invalid \(what) for a container")
        }
        guard AppName.isValid(app) else { throw invalid("app name '\(app.prefix(40))'") }
        let parts = processName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, ProcessTypeName.isValid(String(parts[0])), (1...6).contains(parts[1].count),
            parts[1].allSatisfy({ ("0"..."9").contains($0) })
        else { throw invalid("process name '\(processName.prefix(40))' (expected <type>.<number>, e.g. web.1)") }
        guard !command.isEmpty else { throw invalid("empty command") }
        guard (1...65535).contains(port) else { throw invalid("port \(port)") }
        for name in processTypes.keys where !ProcessTypeName.isValid(name) {
            throw invalid("process type '\(name.prefix(40))'")
        }
        for value in processTypes.values where value.contains(where: \.isNewline) {
            throw invalid("process type command (it has a line break)")
        }
    }

    /// The process's environment, `NAME=value`, sorted.
    public var environmentEntries: [String] {
        var variables = ["PATH": Self.defaultPath, "LANG": "C.UTF-8"]
        for (name, value) in environment { variables[name] = value }
        variables["HOME"] = "/app"
        variables["PORT"] = String(port)
        variables["DYNO"] = processName
        variables["PS"] = processName
        variables["PAAS_APP"] = app
        variables["PAAS_RELEASE"] = release
        if let terminal {
            variables["TERM"] = variables["TERM"] ?? "xterm"
            variables["COLUMNS"] = String(terminal.width)
            variables["LINES"] = String(terminal.height)
        }
        return variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// The files the container gets besides the slug: what `RunContainer` writes into its
    /// directory before the start.
    public var processTypesFile: String {
        processTypes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\n" }.joined()
    }

    /// `/etc/resolv.conf`.
    public var resolvConf: String {
        (nameserver.map { "nameserver \($0)\n" } ?? "# no resolver on this network\n") + "options ndots:1\n"
    }

    /// `/etc/hosts`.
    public var hosts: String {
        """
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        \(address ?? "127.0.1.1")\t\(processName)

        """
    }

    /// The container's host-side files, made by `RunContainer` in its directory.
    public struct Files: Sendable {
        /// The overlay root's mount point.
        public var rootFilesystem: String
        /// Becomes `/run/paas`: `slug-runner` and `process-types`.
        public var runDirectory: String
        public var resolvConf: String
        public var hosts: String
        /// The container's cgroup, relative to each controller's mount.
        public var cgroupsPath: String

        public init(rootFilesystem: String, runDirectory: String, resolvConf: String, hosts: String, cgroupsPath: String) {
            self.rootFilesystem = rootFilesystem
            self.runDirectory = runDirectory
            self.resolvConf = resolvConf
            self.hosts = hosts
            self.cgroupsPath = cgroupsPath
        }
    }

    /// Runs the rest of the arguments with standard error on standard output (`2>&1`). A
    /// foreground `runc run` gives a container without a terminal a pipe of its own for each
    /// stream and copies them side by side, which loses their order; joined inside the
    /// container, the process writes both to one pipe, in the order it wrote them.
    static let combiningStandardError = ["/bin/sh", "-c", "exec 2>&1; exec \"$0\" \"$@\""]

    /// The OCI configuration, with the container's files at `files`.
    public func configuration(files: Files) -> OCIConfiguration {
        let mounts: [OCIConfiguration.Mount] =
            OCIConfiguration.Mount.standard + [
                .tmpfs(at: "/tmp", options: ["nosuid", "nodev", "mode=1777", "size=\(temporarySize)"]),
                .bind(slugPath, at: "/app", readOnly: true),
                .bind(files.runDirectory, at: Self.runDirectory, readOnly: true),
                .bind(files.resolvConf, at: "/etc/resolv.conf", readOnly: true),
                .bind(files.hosts, at: "/etc/hosts", readOnly: true),
            ]
        let network = OCIConfiguration.Namespace(type: "network", path: networkNamespace)
        var process = OCIConfiguration.Process(
            user: .init(uid: Self.appUser, gid: Self.appUser),
            args: OCIConfiguration.underInit(Self.combiningStandardError + [Self.runDirectory + "/slug-runner"] + command),
            env: environmentEntries,
            cwd: "/app",
            rlimits: OCIConfiguration.standardRlimits)
        process.terminal = terminal != nil
        process.consoleSize = terminal
        return OCIConfiguration(
            process: process,
            root: .init(path: files.rootFilesystem, readonly: false),
            hostname: processName,
            mounts: mounts,
            linux: .init(
                namespaces: ["pid", "ipc", "uts", "mount", "cgroup"].map { .init(type: $0) } + [network],
                resources: .init(
                    memory: .init(limit: memoryLimit, swap: memoryLimit),
                    pids: .init(limit: pidsLimit),
                    cpu: .init(shares: cpuShares)),
                cgroupsPath: files.cgroupsPath,
                seccomp: .standard))
    }
}
