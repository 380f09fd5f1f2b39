// The part of the OCI runtime specification (config.json, version 1.0.2) that build containers use.
// Optional fields left nil are omitted from the JSON.

/// An OCI bundle's `config.json`.
struct OCIConfiguration: Encodable, Sendable {
    var ociVersion = "1.0.2"
    var process: Process
    var root: Root
    var hostname: String
    var mounts: [Mount]
    var linux: Linux

    struct Process: Encodable, Sendable {
        var terminal = false
        var user: User
        var args: [String]
        var env: [String]
        var cwd: String
        var capabilities = Capabilities()
        var rlimits: [Rlimit]
        var noNewPrivileges = true
    }

    struct User: Encodable, Sendable {
        var uid: UInt32
        var gid: UInt32
        var additionalGids: [UInt32] = []
    }

    /// Empty sets: the process has no capabilities at all.
    struct Capabilities: Encodable, Sendable {
        var bounding: [String] = []
        var effective: [String] = []
        var inheritable: [String] = []
        var permitted: [String] = []
        var ambient: [String] = []
    }

    struct Rlimit: Encodable, Sendable {
        var type: String
        var hard: UInt64
        var soft: UInt64
    }

    struct Root: Encodable, Sendable {
        var path: String
        var readonly: Bool
    }

    struct Mount: Encodable, Sendable {
        var destination: String
        var type: String
        var source: String
        var options: [String]

        /// A bind mount of a host file or directory.
        static func bind(_ source: String, at destination: String, readOnly: Bool) -> Mount {
            Mount(
                destination: destination, type: "bind", source: source,
                options: ["rbind", "nosuid", "nodev", readOnly ? "ro" : "rw"])
        }

        /// A fresh tmpfs.
        static func tmpfs(at destination: String, options: [String]) -> Mount {
            Mount(destination: destination, type: "tmpfs", source: "tmpfs", options: options)
        }
    }

    struct Linux: Encodable, Sendable {
        var namespaces: [Namespace]
        var resources: Resources
        var cgroupsPath: String
        var seccomp: Seccomp
        var maskedPaths: [String]
        var readonlyPaths: [String]
    }

    struct Namespace: Encodable, Sendable {
        var type: String
    }

    struct Resources: Encodable, Sendable {
        var memory: Memory
        var pids: Pids
        var devices: [DeviceRule]
    }

    struct Memory: Encodable, Sendable {
        var limit: Int64
        /// Memory plus swap (cgroup v1 `memsw`); equal to `limit` means no swap.
        var swap: Int64
    }

    struct Pids: Encodable, Sendable {
        var limit: Int64
    }

    struct DeviceRule: Encodable, Sendable {
        var allow: Bool
        var access: String
    }

    struct Seccomp: Encodable, Sendable {
        var defaultAction: String
        var architectures: [String]
        var syscalls: [SyscallRule]
    }

    struct SyscallRule: Encodable, Sendable {
        var names: [String]
        var action: String
        var errnoRet: UInt32?
        var args: [SyscallArgument]?
    }

    struct SyscallArgument: Encodable, Sendable {
        var index: UInt32
        var value: UInt64
        var valueTwo: UInt64
        var op: String
    }
}

extension OCIConfiguration.Seccomp {
    /// Allows everything but the calls that change the system or escape the container, which
    /// fail with EPERM: mounts, module loading, tracing, keyrings, namespaces (including
    /// `clone` with `CLONE_NEWUSER`), reboots, clocks, swap, BPF and the like. `clone3` fails
    /// with ENOSYS, because its flags cannot be inspected; libc then falls back to `clone`.
    static let build = OCIConfiguration.Seccomp(
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
                ],
                action: "SCMP_ACT_ERRNO", errnoRet: 1, args: nil),
            .init(
                names: ["clone"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
                args: [.init(index: 0, value: 0x1000_0000, valueTwo: 0x1000_0000, op: "SCMP_CMP_MASKED_EQ")]),
            .init(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38, args: nil),
        ])
}
