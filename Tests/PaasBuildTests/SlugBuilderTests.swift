import PaasBlobs
import PaasContainers
import PaasRunner
import PaasTesting
import Testing

@testable import PaasBuild

#if canImport(Glibc)
import Glibc
#endif

/// Real builds: runc containers on the build stack named by PAAS_TEST_BUILD_STACK.
@Suite(.tags(.large), .serialized)
struct SlugBuilderTests {
    @Test func staticSiteBecomesASlugWithAWebProcess() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let id = uniqueBuildID("static")
        let output = OutputLines()
        let result = try await harness.build(try await harness.source("static-public"), id: id, output: output)

        #expect(result.processTypes == ["web": "python3 .paas/static/server.py"])
        #expect(result.buildpacks == ["static"])
        #expect(result.stack == "bookworm")
        #expect(result.cacheBlob == nil)
        #expect(try await harness.blobs.size(of: result.slug) == result.slugSize)
        let text = await output.text
        #expect(text.hasPrefix("-----> Building on the bookworm stack\n-----> Static app detected\n"), "\(text)")
        #expect(text.contains("-----> Discovering process types\n       Default types for buildpack -> web\n"))
        #expect(text.contains("-----> Compressing... done, "))

        let listing = try await run("/bin/tar", ["-tzf", harness.root + "/blobs/" + result.slug.sha256])
        #expect(listing.split(separator: "\n").contains("./app/public/index.html"), "\(listing)")
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(TestFiles.exists(slug + "/.paas/static/server.py"))
        try await harness.expectCleanedUp(id)
    }

    @Test func goAppIsCompiledIntoTheSlugAndItsCacheIsReused() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let first = OutputLines()
        let result = try await harness.build(
            try await harness.source("go-hello"), id: uniqueBuildID("go"), output: first)
        #expect(result.processTypes == ["web": "bin/hello"])
        #expect(result.buildpacks == ["go"])
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(access(slug + "/bin/hello", X_OK) == 0)
        let cache = try #require(result.cacheBlob)
        #expect(!(await first.text.contains("Using the cached Go build cache")))

        let second = OutputLines()
        let id = uniqueBuildID("go-again")
        let again = try await harness.build(
            try await harness.source("go-hello", named: "src2"), id: id, cache: cache, output: second)
        let text = await second.text
        #expect(text.contains("-----> Restoring the build cache"), "\(text)")
        #expect(text.contains("Using the cached Go build cache"), "\(text)")
        #expect(again.cacheBlob != nil)
        try await harness.expectCleanedUp(id)
    }

    @Test func pythonRequirementsAreInstalledWithTheHostsPipSettings() async throws {
        // PyPI through the build's own network: the bridge, NAT and the platform's DNS.
        try await TestNetwork.withPrepared(dns: true) { network in
            var harness = try BuildHarness()
            harness.configuration.network = network.containers
            defer { harness.remove() }
            let output = OutputLines()
            let result = try await harness.build(
                try await harness.source("python-requirements"), id: uniqueBuildID("python"), output: output)
            #expect(result.processTypes == ["web": "python app.py"])
            let slug = try await harness.extract(result.slug, into: "slug")
            let text = await output.text
            #expect(TestFiles.exists(slug + "/.venv/lib/python3.11/site-packages/six.py"), "\(text)")
            #expect(!text.contains("non-existing path"), "a local PIP_FIND_LINKS directory is missing in the container")
            #expect(TestFiles.exists(slug + "/.profile.d/python.sh"))
            let cache = try #require(result.cacheBlob)
            #expect(result.timings.stages.map(\.name).contains("python compile"), "\(result.timings)")
            #expect(result.timings.stages.map(\.name).contains("cache pack"), "\(result.timings)")

            // A one-line change, the same requirements: nothing is installed, the cache is handed on.
            let source = try await harness.source("python-requirements", named: "src2")
            try TestFiles.write("import six\n\nprint(\"six %s!\" % six.__version__)\n", to: source + "/app.py")
            let blobsBefore = try HostFiles.children(of: harness.root + "/blobs")
            let second = OutputLines()
            let again = try await harness.build(source, id: uniqueBuildID("python-warm"), cache: cache, output: second)
            let warm = await second.text
            #expect(warm.contains("-----> Reusing the virtualenv from the build cache (dependencies unchanged)"), "\(warm)")
            #expect(warm.contains("       Dependencies unchanged: pip not run"), "\(warm)")
            #expect(!warm.contains("Installing requirements"), "\(warm)")
            #expect(again.cacheBlob == cache)
            #expect(again.timings.stages.map(\.name).contains("cache unchanged"), "\(again.timings)")
            #expect(!again.timings.stages.map(\.name).contains("cache pack"), "\(again.timings)")
            // Only the new slug was stored: the cache was neither packed nor uploaded again.
            let added = Set(try HostFiles.children(of: harness.root + "/blobs")).subtracting(blobsBefore)
            #expect(added == [again.slug.sha256])
            let warmSlug = try await harness.extract(again.slug, into: "slug2")
            #expect(TestFiles.exists(warmSlug + "/.venv/lib/python3.11/site-packages/six.py"))
            #expect(TestFiles.read(warmSlug + "/app.py")?.contains("six %s!") == true)
        }
    }

    @Test func dotBuildpacksRunsSeveralBuildpacksWithExportsBetweenThem() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let custom = try harness.buildpack(
            "after-go", detect: "After-Go",
            compile: """
                echo "-----> Checking the go buildpack's export"
                hello > "$1/hello-output.txt"
                echo "       stack $STACK, home $HOME"
                """,
            release: "---\ndefault_process_types:\n  web: bin/hello --custom")
        let source = try await harness.source("go-hello")
        try TestFiles.write("go\n\(custom)\n", to: source + "/.buildpacks")
        try TestFiles.write("worker: bin/hello --work\n", to: source + "/Procfile")
        let output = OutputLines()
        let result = try await harness.build(source, id: uniqueBuildID("multi"), output: output)

        #expect(result.buildpacks == ["go", custom])
        #expect(result.processTypes == ["web": "bin/hello --custom", "worker": "bin/hello --work"])
        let text = await output.text
        #expect(text.contains("-----> Using buildpacks:\n       1. go\n       2. \(custom)\n"), "\(text)")
        #expect(text.contains("-----> Go app detected"))
        #expect(text.contains("-----> After-Go app detected"))
        #expect(text.contains("       stack bookworm, home /app"))
        #expect(text.contains("       Procfile declares types -> worker\n       Default types for buildpack -> web"))
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(TestFiles.read(slug + "/hello-output.txt")?.isEmpty == false)
    }

    @Test func buildpackURLClonesAGitRepositoryAndSeesConfigVars() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let directory = try harness.buildpack(
            "greeter", detect: "Greeter",
            compile: """
                cp "$3/GREETING" "$1/greeting.txt"
                echo "       greeted"
                """,
            release: "---\ndefault_process_types:\n  web: cat greeting.txt")
        try await run("/usr/bin/git", ["init", "--quiet", "-b", "main"], in: directory)
        try await run("/usr/bin/git", ["add", "."], in: directory)
        try await run(
            "/usr/bin/git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "bp"],
            in: directory)
        try await run("/usr/bin/git", ["tag", "v1"], in: directory)
        try await run("/usr/bin/git", ["clone", "--quiet", "--bare", directory, harness.root + "/greeter.git"])
        let url = "file://\(harness.root)/greeter.git#v1"

        let output = OutputLines()
        let result = try await harness.build(
            try await harness.source(nil), id: uniqueBuildID("url"),
            config: ["BUILDPACK_URL": url, "GREETING": "hello from config"], output: output)
        #expect(result.buildpacks == [url])
        #expect(result.processTypes == ["web": "cat greeting.txt"])
        let text = await output.text
        #expect(text.contains("-----> Using buildpack: \(url)\n       Fetching \(url)\n"), "\(text)")
        #expect(text.contains("-----> Greeter app detected\n       greeted"))
        #expect(!text.contains("hello from config"))
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(TestFiles.read(slug + "/greeting.txt") == "hello from config")
    }

    @Test func slugignoreIsAppliedBeforeCompile() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let source = try await harness.source("static-public")
        try TestFiles.write("*.psd\n/README.md\n# a comment\nsecrets/\n", to: source + "/.slugignore")
        try TestFiles.write("x", to: source + "/public/logo.psd")
        try TestFiles.write("x", to: source + "/secrets/key")
        let checker = try harness.buildpack(
            "checker", compile: "test ! -e \"$1/public/logo.psd\" && test -e \"$1/public/index.html\" && echo '       clean'")
        try TestFiles.write("static\n\(checker)\n", to: source + "/.buildpacks")
        let output = OutputLines()
        let result = try await harness.build(source, id: uniqueBuildID("ignore"), output: output)
        let text = await output.text
        #expect(text.contains("-----> Deleting 3 files matching .slugignore patterns"), "\(text)")
        #expect(text.contains("       clean"))
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(!TestFiles.exists(slug + "/public/logo.psd"))
        #expect(!TestFiles.exists(slug + "/README.md"))
        #expect(!TestFiles.exists(slug + "/secrets"))
        #expect(TestFiles.exists(slug + "/public/index.html"))
    }

    @Test func noDetectedBuildpackListsWhatTheBuiltInsLookFor() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let source = try await harness.source(nil)
        try TestFiles.write("nothing to see\n", to: source + "/notes.txt")
        let output = OutputLines()
        let id = uniqueBuildID("none")
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(source, id: id, output: output)
        }
        #expect(error.code == BuildError.Code.noBuildpack)
        #expect(error.message == "no buildpack detected")
        let text = await output.text
        for name in ["python", "nodejs", "go", "static", "procfile"] {
            let description = try #require(TestFiles.read(BuildHarness.packageRoot + "/buildpacks/\(name)/DESCRIPTION"))
            #expect(text.contains("       " + description.split(separator: "\n")[0]), "\(text)")
        }
        try await harness.expectCleanedUp(id)
    }

    @Test func failingCompileNamesTheBuildpackAndStatus() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let broken = try harness.buildpack("broken", compile: "echo '-----> Trying'\necho ' !     it broke' >&2\nexit 3")
        let output = OutputLines()
        let id = uniqueBuildID("broken")
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(try await harness.source(nil), id: id, config: ["BUILDPACK_URL": broken], output: output)
        }
        #expect(error.code == BuildError.Code.buildpackFailed)
        #expect(error.message == "bin/compile of \(broken) exited with status 3")
        #expect(await output.text.contains("-----> Trying\n !     it broke"))
        try await harness.expectCleanedUp(id)
    }

    @Test func memoryHogIsReportedAsOutOfMemory() async throws {
        let harness = try BuildHarness(memoryLimit: 64 << 20)
        defer { harness.remove() }
        let hog = try harness.buildpack("hog", compile: "python3 -c 'data = b\"x\" * (512 << 20); print(len(data))'")
        let output = OutputLines()
        let id = uniqueBuildID("hog")
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(try await harness.source(nil), id: id, config: ["BUILDPACK_URL": hog], output: output)
        }
        #expect(error.code == BuildError.Code.outOfMemory, "\(error)")
        #expect(error.message == "the build ran out of memory (limit 64 MiB)")
        try await harness.expectCleanedUp(id)
    }

    @Test func slowBuildIsStoppedAtTheTimeLimitWhileOutputStreams() async throws {
        let harness = try BuildHarness(timeLimit: .seconds(3))
        defer { harness.remove() }
        let sleeper = try harness.buildpack("sleeper", compile: "echo '-----> Sleeping'\nsleep 120")
        let output = OutputLines()
        let id = uniqueBuildID("slow")
        let error = try await #require(throws: BuildError.self) {
            try await harness.build(try await harness.source(nil), id: id, config: ["BUILDPACK_URL": sleeper], output: output)
        }
        let ended = ContinuousClock.now
        #expect(error.code == BuildError.Code.timedOut)
        // (No upper bound on the time: the error alone says the limit stopped it, the sleep would have ended it otherwise.)
        #expect(error.message == "the build took longer than 3 seconds")
        let sleeping = try #require(await output.arrival(ofLineContaining: "-----> Sleeping"))
        #expect(ended - sleeping > .seconds(2), "the output came only at the end")
        try await harness.expectCleanedUp(id)
    }

    @Test func corruptCacheIsReplacedByAnEmptyOne() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let cache = try harness.blobs.storeCorrupt("garbage")
        let source = try await harness.source(nil)
        try TestFiles.write("web: sleep infinity\n", to: source + "/Procfile")
        let output = OutputLines()
        let result = try await harness.build(source, id: uniqueBuildID("cache"), cache: cache, output: output)
        #expect(result.processTypes == ["web": "sleep infinity"])
        #expect(result.buildpacks == ["procfile"])
        let text = await output.text
        #expect(text.contains("-----> The build cache could not be restored; building with an empty cache"), "\(text)")
        #expect(text.contains("       Procfile declares types -> web"))
    }
}

extension SlugBuilderTests {
    @Test func cancelledBuildLeavesNothingBehind() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let sleeper = try harness.buildpack("sleeper", compile: "echo '-----> Sleeping'\nsleep 120")
        let source = try await harness.source(nil)
        let output = OutputLines()
        let id = uniqueBuildID("cancel")
        let build = Task { try await harness.build(source, id: id, config: ["BUILDPACK_URL": sleeper], output: output) }
        try await eventually("the buildpack starts its sleep", interval: .milliseconds(50)) {
            await output.arrival(ofLineContaining: "-----> Sleeping")
        }
        build.cancel()
        // A cancel that did not stop the build would let the sleep end and the build succeed.
        await #expect(throws: CancellationError.self) { try await build.value }
        try await harness.expectCleanedUp(id)
    }
}

extension SlugBuilderTests {
    @Test func buildRunsUnprivilegedOnAReadOnlyStack() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let probe = try harness.buildpack(
            "probe",
            compile: #"""
                report=$1/report
                {
                  echo "uid $(id -u) gid $(id -g)"
                  grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status
                  echo "nofile $(ulimit -n)"
                  echo "pid1 $(cat /proc/1/comm)"
                  touch /usr/probe 2>/dev/null && echo "stack writable" || echo "stack read-only"
                  touch /buildpacks/probe 2>/dev/null && echo "buildpacks writable" || echo "buildpacks read-only"
                  unshare -U true 2>/dev/null && echo "unshare allowed" || echo "unshare denied"
                  python3 -c 'import ctypes; c = ctypes.CDLL(None, use_errno=True); r = c.syscall(425, 1, None)
                print("io_uring denied" if r == -1 and ctypes.get_errno() == 1 else "io_uring allowed")'
                  echo "memory cgroup $(grep :memory: /proc/self/cgroup | cut -d: -f3)"
                  echo "memory limit $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
                  echo "cpu quota $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) shares $(cat /sys/fs/cgroup/cpu/cpu.shares)"
                  test -e /sys/fs/cgroup/memory/paas && echo "other cgroups visible" || echo "own cgroups only"
                  mount | grep -q ' /sys type sysfs (ro' && echo "sysfs read-only"
                  test -s /etc/ssl/certs/ca-certificates.crt && echo "ca bundle"
                  echo "cache $(stat -c %u "$2")"
                  echo env $(ls "$3")
                  echo "home $HOME lang $LANG stack $STACK"
                } >"$report"
                """#)
        let output = OutputLines()
        let result = try await harness.build(
            try await harness.source(nil), id: uniqueBuildID("probe"), config: ["BUILDPACK_URL": probe, "SECRET_TOKEN": "s3cr3t"],
            output: output)
        let slug = try await harness.extract(result.slug, into: "slug")
        let report = try #require(TestFiles.read(slug + "/report"))
        let lines = Set(report.split(separator: "\n").map { String($0).replacing("\t", with: " ") })
        for expected in [
            "uid 10000 gid 10000", "CapEff: 0000000000000000", "CapBnd: 0000000000000000", "NoNewPrivs: 1",
            "Seccomp: 2", "pid1 tini", "stack read-only", "buildpacks read-only", "unshare denied", "ca bundle",
            "cache 10000", "env BUILDPACK_URL SECRET_TOKEN", "home /app lang C.UTF-8 stack bookworm",
            "io_uring denied", "memory cgroup /", "memory limit \(harness.configuration.memoryLimit)",
            "cpu quota \(Int(harness.configuration.cpuLimit * 100_000)) shares 512", "own cgroups only", "sysfs read-only",
        ] {
            #expect(lines.contains(expected), "\(expected) in:\n\(report)")
        }
        let nofile = try #require(lines.first { $0.hasPrefix("nofile ") }.flatMap { Int($0.dropFirst(7)) })
        #expect(nofile > 1024 && nofile <= 20000)
    }
}

extension SlugBuilderTests {
    @Test func sourceOnAnotherFilesystemIsCopiedAndRemoved() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        var template = Array("/dev/shm/paas-build-source-XXXXXX".utf8CString)
        let source = String(cString: try #require(mkdtemp(&template)))
        defer {
            unlink(source + "/Procfile")
            unlink(source + "/serve")
            rmdir(source)
        }
        try TestFiles.write("web: ./serve\n", to: source + "/Procfile")
        try TestFiles.write("#!/bin/sh\n", to: source + "/serve", mode: 0o755)
        let result = try await harness.build(source, id: uniqueBuildID("copy"), output: OutputLines())
        #expect(result.processTypes == ["web": "./serve"])
        #expect(!TestFiles.exists(source))
        let slug = try await harness.extract(result.slug, into: "slug")
        #expect(access(slug + "/serve", X_OK) == 0)
    }
}

extension SlugBuilderTests {
    @Test func aRestartedBuilderRemovesTheBuildsAnEarlierProcessLeft() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let sleeper = try harness.buildpack("sleeper", compile: "echo '-----> Sleeping'\nsleep 120")
        let kept = harness.configuration.workDirectory + "/.kept-caches/sha256-" + String(repeating: "a", count: 64)
        try TestFiles.write("cached\n", to: kept + "/file")
        let output = OutputLines()
        let id = uniqueBuildID("left")
        let build = Task {
            try await harness.build(try await harness.source(nil), id: id, config: ["BUILDPACK_URL": sleeper], output: output)
        }
        try await eventually("the buildpack starts its sleep", interval: .milliseconds(50)) {
            await output.arrival(ofLineContaining: "-----> Sleeping")
        }
        let started = await output.text
        #expect(started.contains("-----> Sleeping"), "\(started)")

        // What a new process does at start while the old one's build still runs.
        let removed = try await harness.builder.removeLeftovers()
        #expect(removed == [id])
        // The build's container was killed: the sleep did not get to end the build well.
        await #expect(throws: (any Error).self) { try await build.value }
        try await harness.expectCleanedUp(id)
        #expect(!TestFiles.exists(harness.configuration.workDirectory + "/" + id))
        #expect(TestFiles.read(kept + "/file") == "cached\n", "kept caches are not builds")
        #expect(try await harness.builder.removeLeftovers() == [])
    }
}

extension SlugBuilderTests {
    @Test func aSlugOverTheLimitFailsTheBuildSayingWhatToDo() async throws {
        var harness = try BuildHarness()
        defer { harness.remove() }
        harness.configuration.maxSlugSize = 100_000
        // Random bytes do not compress: the slug is about 300 KB.
        let bulky = try harness.buildpack("bulky", compile: "head -c 300000 /dev/urandom > \"$1/bulk.bin\"")
        let output = OutputLines()
        let id = uniqueBuildID("bulky")
        let error = await #expect(throws: BuildError.self) {
            try await harness.build(try await harness.source(nil), id: id, config: ["BUILDPACK_URL": bulky], output: output)
        }
        #expect(error?.code == BuildError.Code.slugTooLarge)
        #expect(error?.message.contains("the compiled slug is 0.3 MB, larger than this platform's limit of 0.1 MB") == true, "\(String(describing: error))")
        let text = await output.text
        #expect(text.contains(" !     List what the app does not need at run time in .slugignore"), "\(text)")
        // Nothing was stored: the blob store holds no slug.
        #expect(try HostFiles.children(of: harness.root + "/blobs").isEmpty)
        try await harness.expectCleanedUp(id)
    }
}
