// App processes in real run containers (runc) on the run stack.
import FoundationEssentials
import PaasContainers
import PaasTesting
import Testing

@testable import PaasRunner

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.large), .serialized)
struct ContainersTests {
    @Test func processRunsAsAppUserWithThePlatformEnvironmentAndStreamsItsOutput() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug([
                "Procfile": """
                    web: echo "user=$(id -u):$(id -g) port=$PORT dyno=$DYNO ps=$PS app=$PAAS_APP release=$PAAS_RELEASE color=$COLOR home=$HOME lang=$LANG pwd=$(pwd) host=$(hostname)"; echo to-stderr >&2; echo first; sleep 120

                    """
            ])
            let container = harness.container(harness.spec(["web"], slug: slug))
            let output = try await harness.start(container)
            // Streamed as printed: "first" arrives while the process still sleeps, long before it could end.
            let first = try await output.waitFor("first")
            #expect(first.text == "first", "the line printed before the sleep did not arrive while the process ran")
            let reason = await container.stop(grace: .seconds(5))
            let text = await output.text
            #expect(reason == .killed(signal: 15), "\(text)")
            #expect(
                text.contains(
                    "user=10000:10000 port=5123 dyno=web.1 ps=web.1 app=\(harness.app) release=v7 color=blue home=/app "
                        + "lang=C.UTF-8 pwd=/app host=web.1"), "\(text)")
            // Standard error joins standard output inside the container, so the two keep the order
            // the process wrote them in (the app's log is one stream, as on Heroku).
            #expect(await output.lines(on: .standardOutput).contains("to-stderr"), "\(text)")
            #expect(await output.lines(on: .standardError) == [])
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func appIsReadOnlyTmpIsWritableAndRootWritesStayInTheUpperLayer() async throws {
        try await withContainersHarness { harness in
            let stackBefore = try harness.stackListing()
            let slug = try await harness.slug(["Procfile": "web: true\n", "data.txt": "slug data\n"])
            let script = """
                touch /app/new-file 2>/dev/null && echo app-writable || echo app-read-only
                echo x >> /app/data.txt 2>/dev/null && echo app-file-writable || echo app-file-read-only
                echo tmp-data > /tmp/t && cat /tmp/t
                echo upper-data > /var/tmp/upper-file && echo var-tmp-written
                df -k /tmp | tail -1
                echo "interfaces: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')"
                python3 -c 'import socket; s = socket.create_server(("127.0.0.1", 0)); socket.create_connection(s.getsockname()); print("loopback-works")'
                echo ready
                sleep 300
                """
            let container = harness.container(harness.spec([script], slug: slug))
            let output = try await harness.start(container)
            _ = try await output.waitFor("ready")
            let text = await output.text
            #expect(text.contains("app-read-only") && text.contains("app-file-read-only"), "\(text)")
            #expect(text.contains("tmp-data") && text.contains("var-tmp-written"), "\(text)")
            #expect(text.contains("tmpfs") && text.contains(" 65536 "), "a 64 MiB tmpfs at /tmp: \(text)")
            // No network namespace given: a new one with loopback only.
            #expect(text.contains("interfaces: lo \n") && text.contains("loopback-works"), "\(text)")
            // The write went into the container's upper layer, not into the stack.
            #expect(readHostFile(container.overlay.upper + "/var/tmp/upper-file") == "upper-data\n")
            #expect(!HostFiles.exists(harness.stack + "/var/tmp/upper-file"))

            let reason = await container.stop(grace: .seconds(10))
            #expect(reason == .killed(signal: SIGTERM))
            #expect(readHostFile(slug + "/data.txt") == "slug data\n")
            #expect(try HostFiles.children(of: slug) == ["Procfile", "data.txt"])
            #expect(try harness.stackListing() == stackBefore)
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func aProcessSeesItsOwnSysfsAndCgroupsOnlyAndNoIOUring() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug(["Procfile": "web: true\n"])
            let script = """
                echo "sys interfaces: $(ls /sys/class/net | tr '\\n' ' ')"
                mount | grep -q ' /sys type sysfs (ro' && echo sysfs-read-only
                touch /sys/fs/cgroup/memory/probe 2>/dev/null && echo cgroups-writable || echo cgroups-read-only
                echo "memory cgroup $(grep :memory: /proc/self/cgroup | cut -d: -f3)"
                echo "memory limit $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
                test -e /sys/fs/cgroup/memory/paas && echo other-cgroups-visible || echo own-cgroups-only
                python3 -c 'import ctypes; c = ctypes.CDLL(None, use_errno=True); r = c.syscall(425, 1, None)
                print("io_uring denied" if r == -1 and ctypes.get_errno() == 1 else "io_uring allowed")'
                echo ready
                sleep 300
                """
            let spec = harness.spec([script], slug: slug)
            let container = harness.container(spec)
            let output = try await harness.start(container)
            _ = try await output.waitFor("ready")
            let text = await output.text
            // The host's interfaces (its bridge, its uplink) are not listed: a new namespace has lo only.
            #expect(text.contains("sys interfaces: lo \n"), "\(text)")
            #expect(text.contains("sysfs-read-only") && text.contains("cgroups-read-only"), "\(text)")
            // The cgroup namespace: its own cgroup is the root, other tenants' are not there.
            #expect(text.contains("memory cgroup /\n") && text.contains("own-cgroups-only"), "\(text)")
            #expect(text.contains("memory limit \(spec.memoryLimit)"), "\(text)")
            #expect(text.contains("io_uring denied"), "\(text)")
            _ = await container.stop(grace: .seconds(10))
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func profileScriptsAreSourcedUnknownTypesFailClearlyAndCommandsRun() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug([
                "Procfile": "web: echo \"greeting=$GREETING\"\n",
                ".profile.d/greet.sh": "export GREETING=\"hello from profile.d\"\n",
            ])

            let web = harness.container(harness.spec(["web"], slug: slug))
            let webOutput = try await harness.start(web)
            #expect(await web.wait() == .exited(status: 0))
            let webText = await webOutput.text
            #expect(webText.contains("greeting=hello from profile.d"), "\(webText)")

            var releaseTypes = harness.spec(["wrker"], slug: slug, process: "wrker.1")
            releaseTypes.processTypes = ["worker": "echo working"]
            let unknown = harness.container(releaseTypes)
            let unknownOutput = try await harness.start(unknown)
            #expect(await unknown.wait() == .exited(status: 127))
            let errors = await unknownOutput.text
            #expect(errors.contains("'wrker' is neither a process type of this app nor a command"), "\(errors)")
            #expect(errors.contains("Known process types: web, worker."), "\(errors)")

            let literal = harness.container(harness.spec(["echo literal $PAAS_APP $GREETING"], slug: slug, process: "run.1"))
            let literalOutput = try await harness.start(literal)
            #expect(await literal.wait() == .exited(status: 0))
            #expect(await literalOutput.text == "literal \(harness.app) hello from profile.d")

            var fromRelease = harness.spec(["worker"], slug: slug, process: "worker.1")
            fromRelease.processTypes = ["worker": "echo working on $DYNO"]
            let worker = harness.container(fromRelease)
            let workerOutput = try await harness.start(worker)
            #expect(await worker.wait() == .exited(status: 0))
            #expect(await workerOutput.text == "working on worker.1")

            for container in [web, unknown, literal, worker] { try await harness.expectNothingLeft(container) }
        }
    }

    @Test func memoryHogEndsOutOfMemory() async throws {
        try await withContainersHarness { harness in
            let hogSlug = try await harness.slug(
                ["bin/hog": "#!/usr/bin/python3\nb = []\nwhile True:\n    b.append(bytearray(1 << 20))\n"], named: "hog")
            var spec = harness.spec(["bin/hog"], slug: hogSlug, process: "hog.1")
            spec.memoryLimit = 64 << 20
            let container = harness.container(spec)
            let output = try await harness.start(container)
            let reason = await container.wait()
            let text = await output.text
            #expect(reason == .outOfMemory, "\(text)")
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func stopEndsAProcessWithSigtermThroughTini() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug(["Procfile": "web: echo ready; sleep 300\n"])
            let container = harness.container(harness.spec(["web"], slug: slug))
            let output = try await harness.start(container)
            _ = try await output.waitFor("ready")
            // Killed by SIGTERM (not by the SIGKILL after the grace period): tini passed it on.
            let reason = await container.stop(grace: .seconds(60))
            #expect(reason == .killed(signal: SIGTERM))
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func tinisOwnWarningsStayOutOfTheOutput() async throws {
        try await withContainersHarness { harness in
            // A signal tini cannot pass on (its child's process group is gone: the process moved
            // into another one) makes tini warn; a signal landing while a process starts or ends
            // does the same. The warning is tini's business, not a line of the app's output.
            let script = """
                import os, signal, subprocess
                peer = subprocess.Popen(["sleep", "300"], process_group=0)
                os.setpgid(0, peer.pid)
                os.kill(1, signal.SIGUSR1)
                bit = 1 << (signal.SIGUSR1 - 1)
                def pending():
                    fields = dict(line.split(":", 1) for line in open("/proc/1/status"))
                    return (int(fields["SigPnd"], 16) | int(fields["ShdPnd"], 16)) & bit
                # tini takes the signal, fails to pass it on and warns before it reaps this process.
                while pending():
                    os.sched_yield()
                peer.kill()
                peer.wait()
                print("passed on", "without tini's settings" if "TINI_VERBOSITY" not in os.environ else "with TINI_VERBOSITY")

                """
            let slug = try await harness.slug(["signals.py": script], named: "signals")
            let container = harness.container(harness.spec(["exec python3 signals.py"], slug: slug, process: "run.1"))
            let output = try await harness.start(container)
            let reason = await container.wait()
            let text = await output.text
            #expect(reason == .exited(status: 0), "\(text)")
            #expect(text == "passed on without tini's settings")
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func processThatIgnoresSigtermIsKilledAfterTheGracePeriod() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug([
                "Procfile": "web: trap 'echo got-term' TERM; echo ready; while true; do sleep 0.2; done\n"
            ])
            let container = harness.container(harness.spec(["web"], slug: slug))
            let output = try await harness.start(container)
            _ = try await output.waitFor("ready")
            let started = ContinuousClock.now
            let reason = await container.stop(grace: .seconds(2))
            let took = ContinuousClock.now - started
            #expect(reason == .killed(signal: SIGKILL))
            #expect(took >= .seconds(2), "stop took \(took), less than the grace period")
            #expect(await output.first(containing: "got-term") != nil, "the process saw SIGTERM first")
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func leftoversOfADeadRunnerAreRemoved() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug(["Procfile": "web: echo ready; sleep 300\n"])
            let container = harness.container(harness.spec(["web"], slug: slug))
            let output = try await harness.start(container)
            _ = try await output.waitFor("ready")
            // A directory whose container runc never created (the runner died before `run`).
            let orphan = harness.containersDirectory + "/" + RunContainer.idPrefix + harness.app + ".web.2.0000abcd"
            try TestFiles.write("{}", to: orphan + "/config.json")

            let removed = try await RunContainer.removeLeftovers(
                prefix: RunContainer.idPrefix + harness.app + ".", in: harness.containersDirectory, logger: harness.logger)
            #expect(Set(removed) == [container.id, RunContainer.idPrefix + harness.app + ".web.2.0000abcd"])
            #expect(!HostFiles.exists(orphan))
            #expect(await container.wait() == .killed(signal: SIGKILL))
            try await harness.expectNothingLeft(container)
        }
    }

    @Test func setupFailureLeavesNothingBehind() async throws {
        try await withContainersHarness { harness in
            let slug = try await harness.slug(["Procfile": "web: true\n"])
            var spec = harness.spec(["web"], slug: slug)
            spec.slugRunnerPath = harness.root + "/no-such-slug-runner"
            let container = harness.container(spec)
            let error = try await #require(throws: ContainerError.self) { try await container.start { _ in } }
            #expect(error.code == ContainerError.Code.setupFailed)
            try await harness.expectNothingLeft(container)
        }
    }

}

/// The run container's configuration and exit reasons, without containers.
@Suite(.tags(.small))
struct ContainersSpecTests {
    @Test func specIsAnOCIConfigurationWithoutCapabilitiesAndWithLimits() throws {
        var spec = RunContainerSpec(
            app: "shop", release: "v3", processName: "web.1", command: ["web"], stackPath: "/stacks/run",
            slugPath: "/slugs/abc/app", slugRunnerPath: "/srv/slug-runner")
        spec.networkNamespace = "/run/netns/paas-shop-web.1"
        spec.environment = ["HOME": "/elsewhere", "PATH": "/custom/bin", "DATABASE_URL": "postgres://x"]
        let files = RunContainerSpec.Files(
            rootFilesystem: "/c/rootfs", runDirectory: "/c/run-paas", resolvConf: "/c/etc/resolv.conf", hosts: "/c/etc/hosts",
            cgroupsPath: "/paas/shop/web.1.0001")
        let configuration = spec.configuration(files: files)
        #expect(configuration.process.args == OCIConfiguration.underInit(["/bin/sh", "-c", "exec 2>&1; exec \"$0\" \"$@\"", "/run/paas/slug-runner", "web"]))
        #expect(configuration.process.user.uid == 10000 && configuration.process.user.gid == 10000)
        #expect(configuration.process.capabilities.bounding.isEmpty && configuration.process.noNewPrivileges)
        #expect(configuration.process.env.contains("HOME=/app") && configuration.process.env.contains("PATH=/custom/bin"))
        #expect(configuration.process.env.contains("PORT=5000") && configuration.process.env.contains("DATABASE_URL=postgres://x"))
        #expect(configuration.linux.resources.memory.limit == 512 << 20)
        #expect(configuration.linux.resources.pids.limit == 512)
        #expect(configuration.linux.namespaces.last?.path == "/run/netns/paas-shop-web.1")
        #expect(configuration.hostname == "web.1" && !configuration.root.readonly)
        let app = try #require(configuration.mounts.first { $0.destination == "/app" })
        #expect(app.source == "/slugs/abc/app" && app.options.contains("ro"))
        let runDirectory = try #require(configuration.mounts.first { $0.destination == "/run/paas" })
        #expect(runDirectory.options.contains("ro"))
        let limit = OCIConfiguration.openFilesLimit
        #expect(configuration.process.rlimits.contains { $0.type == "RLIMIT_NOFILE" && $0.hard == limit })

        try spec.validate()
        spec.processName = "Worker_2.12"
        try spec.validate()
        for name in ["../web", "web", "web.", "web.1.2", ".1", "web.x"] {
            spec.processName = name
            #expect(throws: ContainerError.self, "\(name)") { try spec.validate() }
        }
    }

    @Test func exitStatusesBecomeExitReasons() {
        #expect(ExitReason(status: 0, oomKills: 0) == .exited(status: 0))
        #expect(ExitReason(status: 0, oomKills: 1) == .exited(status: 0))
        #expect(ExitReason(status: 3, oomKills: 0) == .exited(status: 3))
        #expect(ExitReason(status: 137, oomKills: 1) == .outOfMemory)
        #expect(ExitReason(status: 137, oomKills: 0) == .killed(signal: 9))
        #expect(ExitReason(status: 143, oomKills: 0) == .killed(signal: 15))
    }
}

/// Reads a host file, or nil.
private func readHostFile(_ path: String) -> String? {
    HostFiles.isDirectory(path) ? nil : HostFiles.read(path)
}
