// The part of the OCI runtime specification (config.json, version 1.0.2) that the platform's
// containers use. Optional fields left nil are omitted from the JSON.
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// An OCI bundle's `config.json`.
public struct OCIConfiguration: Encodable, Sendable {
    public var ociVersion = "1.0.2"
    public var process: Process
    public var root: Root
    public var hostname: String
    public var mounts: [Mount]
    public var linux: Linux

    public init(process: Process, root: Root, hostname: String, mounts: [Mount], linux: Linux) {
        self.process = process
        self.root = root
        self.hostname = hostname
        self.mounts = mounts
        self.linux = linux
    }

    /// The container's first process.
    public struct Process: Encodable, Sendable {
        /// Whether the process gets a new pseudo-terminal as its standard input, output and error.
        public var terminal = false
        /// The terminal's initial size (with `terminal`).
        public var consoleSize: ConsoleSize?
        public var user: User
        public var args: [String]
        /// `NAME=value` entries.
        public var env: [String]
        public var cwd: String
        public var capabilities = Capabilities()
        public var rlimits: [Rlimit]
        public var noNewPrivileges = true

        public init(user: User, args: [String], env: [String], cwd: String, rlimits: [Rlimit]) {
            self.user = user
            self.args = args
            self.env = env
            self.cwd = cwd
            self.rlimits = rlimits
        }
    }

    /// A terminal's size in character cells.
    public struct ConsoleSize: Encodable, Sendable {
        public var height: Int
        public var width: Int

        public init(height: Int, width: Int) {
            self.height = height
            self.width = width
        }
    }

    /// The user and groups the process runs as (numeric: the stack's `/etc/passwd` is not read).
    public struct User: Encodable, Sendable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32] = []

        public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = []) {
            self.uid = uid
            self.gid = gid
            self.additionalGids = additionalGids
        }
    }

    /// Empty sets: the process has no capabilities at all.
    public struct Capabilities: Encodable, Sendable {
        public var bounding: [String] = []
        public var effective: [String] = []
        public var inheritable: [String] = []
        public var permitted: [String] = []
        public var ambient: [String] = []

        public init() {}
    }

    /// A POSIX resource limit, e.g. `RLIMIT_NOFILE`.
    public struct Rlimit: Encodable, Sendable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64

        public init(type: String, hard: UInt64, soft: UInt64) {
            self.type = type
            self.hard = hard
            self.soft = soft
        }
    }

    /// The root filesystem: a directory on the host.
    public struct Root: Encodable, Sendable {
        public var path: String
        public var readonly: Bool

        public init(path: String, readonly: Bool) {
            self.path = path
            self.readonly = readonly
        }
    }

    /// A mount inside the container, made by the runtime in the listed order.
    public struct Mount: Encodable, Sendable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]

        public init(destination: String, type: String, source: String, options: [String]) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }

        /// A bind mount of a host file or directory.
        public static func bind(_ source: String, at destination: String, readOnly: Bool) -> Mount {
            Mount(
                destination: destination, type: "bind", source: source,
                options: ["rbind", "nosuid", "nodev", readOnly ? "ro" : "rw"])
        }

        /// A fresh tmpfs.
        public static func tmpfs(at destination: String, options: [String]) -> Mount {
            Mount(destination: destination, type: "tmpfs", source: "tmpfs", options: options)
        }

        /// What every container gets first: `/proc`, a small `/dev` with `pts`, `shm` and
        /// `mqueue`, and a read-only `/sys` of its own: a fresh sysfs (the interfaces of its own
        /// network namespace, not the host's) with its own cgroups only at `/sys/fs/cgroup`
        /// (with the `cgroup` namespace, not every tenant's).
        public static let standard: [Mount] = [
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            .tmpfs(at: "/dev", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount(
                destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            .tmpfs(at: "/dev/shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            Mount(
                destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
    }

    /// The Linux-specific part: namespaces, cgroup limits, seccomp and masked paths.
    public struct Linux: Encodable, Sendable {
        public var namespaces: [Namespace]
        public var resources: Resources
        /// The container's cgroup, relative to each controller's mount (`/paas/<app>/<process>`).
        public var cgroupsPath: String
        public var seccomp: Seccomp
        public var maskedPaths: [String]
        public var readonlyPaths: [String]

        public init(
            namespaces: [Namespace], resources: Resources, cgroupsPath: String, seccomp: Seccomp,
            maskedPaths: [String] = Linux.standardMaskedPaths, readonlyPaths: [String] = Linux.standardReadonlyPaths
        ) {
            self.namespaces = namespaces
            self.resources = resources
            self.cgroupsPath = cgroupsPath
            self.seccomp = seccomp
            self.maskedPaths = maskedPaths
            self.readonlyPaths = readonlyPaths
        }

        /// /proc and /sys files a container must not read.
        public static let standardMaskedPaths = [
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        ]

        /// /proc files a container may read but not write.
        public static let standardReadonlyPaths = [
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
        ]
    }

    /// A namespace: new (no path) or an existing one to join (e.g. `/run/netns/NAME`).
    public struct Namespace: Encodable, Sendable {
        /// `pid`, `ipc`, `uts`, `mount`, `network`, ...
        public var type: String
        public var path: String?

        public init(type: String, path: String? = nil) {
            self.type = type
            self.path = path
        }
    }

    /// cgroup limits.
    public struct Resources: Encodable, Sendable {
        public var memory: Memory
        public var pids: Pids
        public var cpu: CPU?
        public var devices: [DeviceRule]

        public init(memory: Memory, pids: Pids, cpu: CPU? = nil, devices: [DeviceRule] = [DeviceRule(allow: false, access: "rwm")]) {
            self.memory = memory
            self.pids = pids
            self.cpu = cpu
            self.devices = devices
        }
    }

    /// Memory limits in bytes.
    public struct Memory: Encodable, Sendable {
        public var limit: Int64
        /// Memory plus swap (cgroup v1 `memsw`); equal to `limit` means no swap.
        public var swap: Int64

        public init(limit: Int64, swap: Int64) {
            self.limit = limit
            self.swap = swap
        }
    }

    /// The most processes (and threads) the container may have.
    public struct Pids: Encodable, Sendable {
        public var limit: Int64

        public init(limit: Int64) { self.limit = limit }
    }

    /// CPU weight relative to other containers (cgroup v1 `cpu.shares`, 1024 is the default),
    /// and optionally a hard limit: at most `quota` µs of CPU time per `period` µs.
    public struct CPU: Encodable, Sendable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?

        public init(shares: UInt64?, quota: Int64? = nil, period: UInt64? = nil) {
            self.shares = shares
            self.quota = quota
            self.period = period
        }

        /// A hard limit of `cores` CPUs' worth of time (per 100 ms period), at `shares` weight.
        public static func limited(to cores: Double, shares: UInt64? = nil) -> CPU {
            CPU(shares: shares, quota: Int64((cores * 100_000).rounded()), period: 100_000)
        }
    }

    /// A device cgroup rule; the platform only denies all devices (runc adds the usual ones).
    public struct DeviceRule: Encodable, Sendable {
        public var allow: Bool
        public var access: String

        public init(allow: Bool, access: String) {
            self.allow = allow
            self.access = access
        }
    }

    /// A seccomp filter.
    public struct Seccomp: Encodable, Sendable {
        public var defaultAction: String
        public var architectures: [String]
        public var syscalls: [SyscallRule]

        public init(defaultAction: String, architectures: [String], syscalls: [SyscallRule]) {
            self.defaultAction = defaultAction
            self.architectures = architectures
            self.syscalls = syscalls
        }
    }

    /// The action for a set of system calls, optionally only when arguments match.
    public struct SyscallRule: Encodable, Sendable {
        public var names: [String]
        public var action: String
        public var errnoRet: UInt32?
        public var args: [SyscallArgument]?

        public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [SyscallArgument]? = nil) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
        }
    }

    /// A condition on a system call argument.
    public struct SyscallArgument: Encodable, Sendable {
        public var index: UInt32
        public var value: UInt64
        public var valueTwo: UInt64
        public var op: String

        public init(index: UInt32, value: UInt64, valueTwo: UInt64, op: String) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }
    }
}

extension OCIConfiguration {
    /// The container's open-files limit: 16384, or the host's hard limit when that is lower
    /// (a container cannot get more than its runtime has; asking for more fails the start).
    public static var openFilesLimit: UInt64 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return min(UInt64(limit.rlim_max), 16384)
    }

    /// The arguments that run `command` under tini as PID 1: tini reaps orphans (`-s`), passes
    /// signals on to the command's whole process group (`-g`) and exits with its status. Its
    /// warnings are turned off (`TINI_VERBOSITY=0`, unset again before `command` starts): a
    /// signal that lands while the command starts or ends makes tini warn "Child was dead when
    /// forwarding signal", which is no line of the app's output. Fatal errors still show.
    public static func underInit(_ command: [String]) -> [String] {
        ["/usr/bin/env", "TINI_VERBOSITY=0", "/usr/bin/tini", "-s", "-g", "--", "/usr/bin/env", "-u", "TINI_VERBOSITY"]
            + command
    }

    /// The rlimits every container gets: the open-files limit above and no core dumps.
    public static var standardRlimits: [Rlimit] {
        [
            Rlimit(type: "RLIMIT_NOFILE", hard: openFilesLimit, soft: openFilesLimit),
            Rlimit(type: "RLIMIT_CORE", hard: 0, soft: 0),
        ]
    }

    /// The bundle's `config.json` text (sorted keys, pretty-printed).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw ContainerError(code: ContainerError.Code.setupFailed, message: "cannot encode the OCI configuration", cause: error)
        }
    }
}

extension OCIConfiguration.Seccomp {
    /// The platform's profile for build and app containers. Allows everything but the calls
    /// that change the system or escape the container, which fail with EPERM: mounts, module
    /// loading, tracing, keyrings, namespaces (including `clone` with `CLONE_NEWUSER`), reboots,
    /// clocks, swap, BPF, io_uring and the like. `clone3` fails with ENOSYS, because its flags cannot be
    /// inspected; libc then falls back to `clone`.
    public static let standard = OCIConfiguration.Seccomp(
        defaultAction: "SCMP_ACT_ALLOW",
        architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"],
        syscalls: [
            .init(
                names: [
                    "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module",
                    "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "init_module",
                    "ioperm", "iopl", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mount",
                    "mount_setattr", "move_mount", "name_to_handle_at", "nfsservctl", "open_by_handle_at",
                    "open_tree", "perf_event_open", "pivot_root", "ptrace", "quotactl", "reboot", "request_key",
                    "setns", "settimeofday", "stime", "swapoff", "swapon", "syslog", "umount", "umount2",
                    "unshare", "userfaultfd", "vm86", "vm86old",
                    // io_uring bypasses seccomp for the operations it runs (Docker denies it too).
                    "io_uring_enter", "io_uring_register", "io_uring_setup",
                ],
                action: "SCMP_ACT_ERRNO", errnoRet: 1, args: nil),
            .init(
                names: ["clone"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
                args: [.init(index: 0, value: 0x1000_0000, valueTwo: 0x1000_0000, op: "SCMP_CMP_MASKED_EQ")]),
            .init(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38, args: nil),
        ])
}
