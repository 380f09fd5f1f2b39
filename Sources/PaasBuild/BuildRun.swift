// The steps of one build, in order; SlugBuilder.build creates one and cleans up after it.
import Logging
import PaasBlobs
import PaasContainers
import PaasCore
import PaasSupport

#if canImport(Glibc)
import Glibc
#endif

/// One build in progress: its request, its work directory and where its output goes.
struct BuildRun: Sendable {
    let configuration: SlugBuilder.Configuration
    let blobs: any BlobStore
    let logger: Logger
    let request: BuildRequest
    let workspace: BuildWorkspace
    let output: @Sendable (String) async -> Void

    /// This host's unpacked caches of earlier builds.
    var keptCaches: KeptCaches {
        KeptCaches(workDirectory: configuration.workDirectory, limit: configuration.keptCaches)
    }

    /// The user `app` of the stacks, who runs the build.
    static let appUser: uid_t = 10000

    /// A buildpack as the build uses it.
    struct Buildpack: Sendable {
        /// Built-in name, path or URL: what `BuildResult.buildpacks` records.
        var name: String
        /// Where it is in the container.
        var containerPath: String
    }

    func perform() async throws -> BuildResult {
        var timings = BuildTimings()
        var started = ContinuousClock.now
        try await moveSource()
        await output("-----> Building on the \(configuration.stackName) stack")
        try await applySlugIgnore()
        let (buildpacks, explicit, extraMounts) = try await selectBuildpacks()
        timings.record("source", ContinuousClock.now - started)
        let restored = try await timings.measure("cache restore") { try await restoreCache() }
        started = ContinuousClock.now
        try prepareContainerFiles()
        let environment = containerEnvironment()

        let networkID = "build.\(request.buildID)"
        let attachment = try await joinNetwork(id: networkID)
        let outcome: BuildContainer.Outcome
        let launched: (ContinuousClock.Instant, Double)
        do {
            let container = BuildContainer(
                id: BuildContainer.idPrefix + request.buildID, runtime: configuration.runtime, bundle: workspace.bundle,
                configuration: .build(
                    rootFilesystem: workspace.rootFilesystem,
                    mounts: .init(
                        app: workspace.app, cache: workspace.cache, env: workspace.env, output: workspace.output,
                        driver: workspace.driver, resolvConf: workspace.resolvConf,
                        buildpacks: [(configuration.builtinBuildpacksPath, "/buildpacks/builtin", false)] + extraMounts,
                        sharedDirectories: Self.localFindLinks(environment)),
                    args: ["/bin/bash", BuildDriverScript.containerPath, explicit ? "explicit" : "detect"]
                        + buildpacks.flatMap { [$0.containerPath, $0.name] },
                    environment: environment,
                    memoryLimit: configuration.memoryLimit,
                    cpuLimit: configuration.cpuLimit,
                    cgroupsPath: BuildContainer.cgroupsPath(buildID: request.buildID),
                    networkNamespace: attachment?.namespacePath),
                logger: logger)
            try HostFiles.write(Self.resolvConf(nameserver: attachment?.nameserver), to: workspace.resolvConf, mode: 0o444)
            // SlugBuilder unmounts it too when anything throws, before it removes the workspace.
            try workspace.mountRootFilesystem(stack: configuration.buildStackPath)
            launched = (ContinuousClock.now, BuildTimings.realtimeNow())
            outcome = try await container.run(timeLimit: configuration.timeLimit, output: output)
        } catch {
            await leaveNetwork(id: networkID, joined: attachment != nil)
            throw error
        }
        await leaveNetwork(id: networkID, joined: attachment != nil)
        try workspace.unmountRootFilesystem(logger: logger)
        recordContainerStages(
            into: &timings, setUp: launched.0 - started, launchedAt: launched.1, took: ContinuousClock.now - launched.0,
            buildpacks: buildpacks)
        let used = try await check(outcome, buildpacks: buildpacks)

        let processTypes = try await timings.measure("process types") {
            try await discoverProcessTypes(used: used, buildpacks: buildpacks)
        }
        let (slug, size) = try await storeSlug(timings: &timings)
        let cacheBlob = await storeCache(restored: restored, timings: &timings)
        var result = BuildResult(
            slug: slug, slugSize: size, processTypes: processTypes, buildpacks: used.map { buildpacks[$0].name },
            cacheBlob: cacheBlob, stack: configuration.stackName)
        result.timings = timings
        return result
    }

    // MARK: - Network

    /// A namespace of the build's own on the configured network, or nil (loopback only).
    private func joinNetwork(id: String) async throws -> IsolatedNetworkAttachment? {
        guard let network = configuration.network else { return nil }
        do {
            return try await network.isolate(id: id)
        } catch {
            throw BuildError(
                code: BuildError.Code.containerFailed, message: "the build container cannot get a network",
                cause: ProgramFailure(text: "\(error)"))
        }
    }

    /// Removes the build's namespace, also when the build was cancelled.
    private func leaveNetwork(id: String, joined: Bool) async {
        guard joined, let network = configuration.network else { return }
        let logger = logger
        await Task.detached {
            do { try await network.release(id: id) } catch {
                logger.warning("cannot remove the build's network namespace", metadata: ["error": "\(error)"])
            }
        }.value
    }

    /// `/etc/resolv.conf`: the network's resolver, or none.
    static func resolvConf(nameserver: String?) -> String {
        (nameserver.map { "nameserver \($0)\n" } ?? "# no network, no resolver\n") + "options ndots:1\n"
    }

    // MARK: - Source

    private func moveSource() async throws {
        let source = request.sourceDirectory
        guard HostFiles.isDirectory(source) else {
            throw BuildError(code: BuildError.Code.invalidSource, message: "the source directory \(source) does not exist")
        }
        if rename(source, workspace.app) != 0 {
            // Another filesystem: copy, keeping modes, times and symlinks, then delete the source.
            guard errno == EXDEV else {
                throw BuildError(
                    code: BuildError.Code.invalidSource,
                    message: "cannot move the source \(source): \(String(cString: strerror(errno)))")
            }
            do {
                try await Command.run("cp", ["-a", "--", source, workspace.app])
            } catch {
                throw BuildError(
                    code: BuildError.Code.invalidSource, message: "cannot copy the source \(source)",
                    cause: ProgramFailure(text: "\(error)"))
            }
            try HostFiles.remove(source)
        }
        chmod(workspace.app, 0o755)
    }

    private func applySlugIgnore() async throws {
        guard let text = HostFiles.readUntrusted(workspace.app + "/.slugignore") else { return }
        let removed = try SlugIgnore(text).apply(to: workspace.app)
        guard !removed.isEmpty else { return }
        await output("-----> Deleting \(removed.count) \(removed.count == 1 ? "file" : "files") matching .slugignore patterns")
    }

    // MARK: - Buildpacks

    /// The buildpacks to run, whether they were chosen explicitly (else: detect the first that
    /// applies), and the host directories to mount for them beside the built-in ones.
    private func selectBuildpacks() async throws -> ([Buildpack], Bool, [(host: String, container: String, writable: Bool)]) {
        var entries: [String] = []
        if let url = request.config["BUILDPACK_URL"]?.trimmed, !url.isEmpty {
            entries = [url]
        } else if let text = HostFiles.readUntrusted(workspace.app + "/.buildpacks") {
            entries = text.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        guard !entries.isEmpty else {
            let names = builtinOrder()
            guard !names.isEmpty else {
                throw BuildError(
                    code: BuildError.Code.buildpackUnavailable,
                    message: "no built-in buildpacks in \(configuration.builtinBuildpacksPath)")
            }
            return (names.map { Buildpack(name: $0, containerPath: "/buildpacks/builtin/\($0)") }, false, [])
        }

        let sources = try entries.map { entry in
            guard let source = BuildpackSource(entry: entry, builtinPath: configuration.builtinBuildpacksPath) else {
                throw BuildError(
                    code: BuildError.Code.buildpackUnavailable,
                    message: "cannot use buildpack '\(BuildpackSource.redacted(entry).prefix(200))': "
                        + "not a git URL, an absolute path or a built-in buildpack")
            }
            return source
        }
        if sources.count == 1 {
            await output("-----> Using buildpack: \(sources[0].displayName)")
        } else {
            await output("-----> Using buildpacks:")
            for (index, source) in sources.enumerated() { await output("       \(index + 1). \(source.displayName)") }
        }
        var buildpacks: [Buildpack] = []
        var mounts: [(host: String, container: String, writable: Bool)] = []
        for (index, source) in sources.enumerated() {
            let number = index + 1
            if case .git = source { await output("       Fetching \(source.displayName)") }
            let directory = try await source.fetch(
                builtinPath: configuration.builtinBuildpacksPath, into: workspace.clonedBuildpack(number))
            switch source {
            case .builtin(let name):
                buildpacks.append(Buildpack(name: source.displayName, containerPath: "/buildpacks/builtin/\(name)"))
            case .directory:
                buildpacks.append(Buildpack(name: source.displayName, containerPath: "/buildpacks/\(number)"))
                mounts.append((directory, "/buildpacks/\(number)", false))
            case .git:
                // The clone is this build's own: the buildpack may write its classic `export` file there.
                try HostFiles.changeOwner(directory, uid: 10000, gid: 10000)
                buildpacks.append(Buildpack(name: source.displayName, containerPath: "/buildpacks/\(number)"))
                mounts.append((directory, "/buildpacks/\(number)", true))
            }
        }
        return (buildpacks, true, mounts)
    }

    /// The built-in buildpacks in detection order (`buildpacks/order`).
    private func builtinOrder() -> [String] {
        let text = HostFiles.read(configuration.builtinBuildpacksPath + "/order") ?? ""
        return text.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter {
            !$0.isEmpty && !$0.hasPrefix("#") && HostFiles.exists(configuration.builtinBuildpacksPath + "/\($0)/bin/detect")
        }
    }

    // MARK: - Cache and container files

    /// Fetches and unpacks the previous build's cache; returns what it holds (nil: no cache
    /// restored), for `storeCache` to tell whether the build changed it.
    private func restoreCache() async throws -> CacheManifest? {
        guard let blob = request.cacheBlob else {
            try HostFiles.makeDirectory(workspace.cache, mode: 0o700)
            return nil
        }
        if keptCaches.take(blob, to: workspace.cache) {
            await output("-----> Restoring the build cache")
            return CacheManifest.of(workspace.cache)
        }
        try HostFiles.makeDirectory(workspace.cache, mode: 0o700)
        do {
            try await blobs.fetch(blob, to: workspace.cacheArchive)
            try await SlugArchive.unpack(workspace.cacheArchive, to: workspace.cache, root: "cache")
            try HostFiles.remove(workspace.cacheArchive)
            await output("-----> Restoring the build cache")
            return CacheManifest.of(workspace.cache)
        } catch {
            logger.warning("cannot restore the build cache", metadata: ["cache": "\(blob)", "error": "\(error)"])
            try HostFiles.remove(workspace.cacheArchive)
            try HostFiles.remove(workspace.cache)
            try HostFiles.makeDirectory(workspace.cache, mode: 0o700)
            await output("-----> The build cache could not be restored; building with an empty cache")
            return nil
        }
    }

    /// The env dir (one file per config var, readable only by the build's user), the output
    /// directory and the driver; hands the app and the cache to the build's user.
    private func prepareContainerFiles() throws {
        try HostFiles.makeDirectory(workspace.env, mode: 0o500)
        for (name, value) in request.config where ConfigVarName.isValid(name) {
            let file = workspace.env + "/" + name
            try HostFiles.write(value, to: file, mode: 0o400)
            try HostFiles.changeOwner(file, uid: Self.appUser, gid: Self.appUser)
        }
        try HostFiles.makeDirectory(workspace.output, mode: 0o700)
        try HostFiles.write(BuildDriverScript.text, to: workspace.driver, mode: 0o555)
        for directory in [workspace.env, workspace.output, workspace.app, workspace.cache] {
            try HostFiles.changeOwner(directory, uid: Self.appUser, gid: Self.appUser)
        }
    }

    /// The container's environment: a fixed base plus the host's pip settings (`PIP_*`), which
    /// may point pip at a proxy's CA bundle or a local index.
    private func containerEnvironment() -> [String: String] {
        var environment = [
            "HOME": "/app",
            "LANG": "C.UTF-8",
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "STACK": configuration.stackName,
            "PAAS_STACKS": configuration.stacksEnvironment,
        ]
        var entry = environ
        while let pointer = entry.pointee {
            let variable = String(cString: pointer)
            if variable.hasPrefix("PIP_"), let equals = variable.firstIndex(of: "=") {
                environment[String(variable[..<equals])] = String(variable[variable.index(after: equals)...])
            }
            entry += 1
        }
        return environment
    }

    /// The local directories among pip's `PIP_FIND_LINKS` (e.g. a host's wheelhouse), which
    /// the container must see at the same paths for the host's pip settings to work.
    static func localFindLinks(_ environment: [String: String]) -> [String] {
        (environment["PIP_FIND_LINKS"] ?? "").split(whereSeparator: \.isWhitespace).map {
            $0.hasPrefix("file://") ? String($0.dropFirst(7)) : String($0)
        }.filter { $0.hasPrefix("/") && HostFiles.isDirectory($0) }
    }

    // MARK: - Outcome

    /// The indexes of the buildpacks that ran, or the error that says why the build failed.
    private func check(_ outcome: BuildContainer.Outcome, buildpacks: [Buildpack]) async throws -> [Int] {
        switch outcome {
        case .timedOut:
            let message = "the build took longer than \(Self.describe(configuration.timeLimit))"
            await output(" !     \(message.capitalizedFirst) and was stopped.")
            throw BuildError(code: BuildError.Code.timedOut, message: message)
        case .outOfMemory:
            let message = "the build ran out of memory (limit \(ByteCount.describe(configuration.memoryLimit)))"
            await output(" !     \(message.capitalizedFirst).")
            throw BuildError(code: BuildError.Code.outOfMemory, message: message)
        case .exited(0):
            let used = (HostFiles.readUntrusted(workspace.output + "/used") ?? "").split(separator: "\n").compactMap {
                $0.split(separator: "\t").first.flatMap { Int($0) }
            }
            guard !used.isEmpty, used.allSatisfy(buildpacks.indices.contains) else {
                throw BuildError(code: BuildError.Code.containerFailed, message: "the build container reported no buildpacks")
            }
            return used
        case .exited(let status):
            let report = (HostFiles.readUntrusted(workspace.output + "/failed") ?? "").trimmed.split(separator: "\t")
            if report.first == "detect" {
                await reportNoBuildpack()
                throw BuildError(code: BuildError.Code.noBuildpack, message: "no buildpack detected")
            }
            if report.count == 3, let index = Int(report[1]), buildpacks.indices.contains(index) {
                throw BuildError(
                    code: BuildError.Code.buildpackFailed,
                    message: "bin/\(report[0]) of \(buildpacks[index].name) exited with status \(report[2])")
            }
            throw BuildError(
                code: BuildError.Code.containerFailed, message: "the build container exited with status \(status)")
        }
    }

    /// Tells what the built-in buildpacks look for, from their DESCRIPTION files.
    private func reportNoBuildpack() async {
        await output(" !     No buildpack detected this app. The built-in buildpacks look for:")
        for name in builtinOrder() {
            let description = HostFiles.read(configuration.builtinBuildpacksPath + "/\(name)/DESCRIPTION")?
                .split(separator: "\n").first.map(String.init)?.trimmed
            await output("       \(description ?? name)")
        }
        await output(" !     Add one of these, or choose buildpacks with BUILDPACK_URL or a .buildpacks file.")
    }

    // MARK: - Results

    private func discoverProcessTypes(used: [Int], buildpacks: [Buildpack]) async throws -> [String: String] {
        var releases: [[String: String]] = []
        // A buildpack without bin/release left no file: it has no say in the default types.
        for index in used where HostFiles.exists(workspace.output + "/release.\(index)") {
            let text = HostFiles.readUntrusted(workspace.output + "/release.\(index)") ?? ""
            releases.append(try ProcessTypes.parseRelease(text, buildpack: buildpacks[index].name))
        }
        let procfile = try HostFiles.readUntrusted(workspace.app + "/Procfile").map(ProcessTypes.parseProcfile)
        await output("-----> Discovering process types")
        if let procfile {
            await output("       Procfile declares types -> \(Self.list(procfile))")
        }
        if let defaults = releases.last, !defaults.isEmpty {
            await output("       Default types for buildpack -> \(Self.list(defaults))")
        }
        let types = ProcessTypes.merge(procfile: procfile, releases: releases)
        if types.isEmpty {
            await output("       No process types: add a Procfile (e.g. 'web: <command>') to say what to run")
        }
        return types
    }

    private func storeSlug(timings: inout BuildTimings) async throws -> (BlobID, Int64) {
        var started = ContinuousClock.now
        let size = try await SlugArchive.pack(from: workspace.app, at: workspace.slugArchive)
        timings.record("slug pack", ContinuousClock.now - started)
        await output("-----> Compressing... done, \(ByteCount.describe(size, decimal: true))")
        guard size <= configuration.maxSlugSize else {
            let message = "the compiled slug is \(ByteCount.describe(size, decimal: true)), larger than this platform's "
                + "limit of \(ByteCount.describe(configuration.maxSlugSize, decimal: true))"
            await output(" !     \(message.capitalizedFirst).")
            await output(" !     List what the app does not need at run time in .slugignore (tests, docs, build tools), or vendor less.")
            throw BuildError(code: BuildError.Code.slugTooLarge, message: message)
        }
        do {
            started = ContinuousClock.now
            defer { timings.record("slug store", ContinuousClock.now - started) }
            return (try await blobs.store(fileAt: workspace.slugArchive), size)
        } catch {
            throw BuildError(code: BuildError.Code.storeFailed, message: "the slug could not be stored", cause: error)
        }
    }

    /// Packs and stores the cache; a failure only costs the next build its cache. A cache the
    /// buildpacks left exactly as restored is handed on as the blob it came from.
    private func storeCache(restored: CacheManifest?, timings: inout BuildTimings) async -> BlobID? {
        guard let entries = try? HostFiles.children(of: workspace.cache), !entries.isEmpty else { return nil }
        if let restored, let blob = request.cacheBlob, CacheManifest.of(workspace.cache) == restored {
            timings.record("cache unchanged", .zero)
            keptCaches.keep(workspace.cache, as: blob)
            return blob
        }
        do {
            try HostFiles.remove(workspace.cacheArchive)
            var started = ContinuousClock.now
            try await SlugArchive.pack(from: workspace.cache, at: workspace.cacheArchive, root: "cache")
            timings.record("cache pack", ContinuousClock.now - started)
            started = ContinuousClock.now
            defer { timings.record("cache store", ContinuousClock.now - started) }
            let blob = try await blobs.store(fileAt: workspace.cacheArchive)
            keptCaches.keep(workspace.cache, as: blob)
            return blob
        } catch {
            logger.warning("cannot store the build cache", metadata: ["error": "\(error)"])
            await output("       The build cache could not be saved; the next build starts without it")
            return nil
        }
    }

    // MARK: - Wording

    private static func list(_ types: [String: String]) -> String {
        types.keys.sorted().joined(separator: ", ")
    }

    /// "15 minutes", "1 minute", "90 seconds".
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 60, seconds % 60 == 0 { return seconds == 60 ? "1 minute" : "\(seconds / 60) minutes" }
        return seconds == 1 ? "1 second" : "\(seconds) seconds"
    }

}

extension String {
    /// The string with its first character upper-cased.
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
