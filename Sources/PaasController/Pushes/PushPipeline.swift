#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import PaasBlobs
import PaasBuild
import PaasCore
import PaasGit
import Synchronization

/// What a `git push` to an app does, in named stages (after Dokku): receive (PaasGit)
/// → build (a slug from the pushed tree, PaasBuild) → release (a new release with the slug).
/// The output of every stage reaches the pusher as it comes and is kept with the build.
public struct PushPipeline: GitPushHandler {
    let store: ControllerStore
    let builder: SlugBuilder?
    let deployer: Deployer?
    let configuration: ControllerConfiguration
    /// Where pushed trees are exported for the builder.
    let workDirectory: String
    let logger: Logger

    /// `builder` nil: the platform has no build stack, and pushes are refused saying so.
    public init(
        store: ControllerStore, builder: SlugBuilder?, deployer: Deployer?, configuration: ControllerConfiguration,
        workDirectory: String, logger: Logger
    ) {
        self.store = store
        self.builder = builder
        self.deployer = deployer
        self.configuration = configuration
        self.workDirectory = workDirectory
        self.logger = logger
    }

    /// The pusher's name, for an admin token only: the platform's daemons' tokens cannot push.
    public func authenticate(token: String) async throws -> String? {
        guard let holder = try await store.tokenHolder(token), holder.scope == .admin else { return nil }
        return holder.name
    }

    public func appExists(_ app: String) async throws -> Bool {
        do {
            _ = try await store.requireApp(named: app)
            return true
        } catch let error as ControllerError where error.code == "app_not_found" {
            return false
        }
    }

    public func deploy(_ push: Push, output: PushOutput) async -> PushVerdict {
        let transcript = Transcript(output: output)
        let short = String(push.update.newCommit.prefix(7))
        let app: App
        let build: Build
        do {
            app = try await store.requireApp(named: push.app)
            build = try await store.startBuild(of: app, commit: push.update.newCommit, actor: push.actor)
        } catch {
            logger.error("push could not start a build", metadata: ["app": "\(push.app)", "error": "\(error)"])
            transcript.say(" !     The platform could not record the build. Try again; if it persists, tell the operator.")
            return .rejected("build failed: the platform could not record the build")
        }
        transcript.say("-----> Building \(push.app) from commit \(short) (build \(build.number))")
        do {
            let result = try await buildSlug(of: push, app: app, build: build, transcript: transcript)
            let recorded = ContinuousClock.now
            try await store.recordSlug(
                id: result.slug.sha256, size: Int(result.slugSize), processTypes: result.processTypes, stack: result.stack)
            let release = try await store.deploy(
                app, slugID: result.slug.sha256, processTypes: result.processTypes, commit: push.update.newCommit,
                actor: push.actor, stack: result.stack)
            if let cache = result.cacheBlob { try await store.setBuildCache(of: app, blob: cache.sha256, stack: result.stack) }
            var timings = result.timings
            timings.record("release", ContinuousClock.now - recorded)
            transcript.say("-----> Build took \(BuildTimings.seconds(timings.total)) s: \(timings.summary)")
            let verdict = await launch(release, of: app, transcript: transcript)
            // The build succeeded whatever the deploy did; its output keeps the deploy's lines too.
            try await finish(build, status: .succeeded, reason: nil, transcript: transcript, result: result, release: release.version)
            return verdict
        } catch {
            let reason = Self.reason(for: error)
            if !(error is BuildError) {
                logger.error("push failed", metadata: ["app": "\(push.app)", "build": "\(build.number)", "error": "\(error)"])
            }
            transcript.say(" !     Build failed: \(reason)")
            transcript.say(" !     The app keeps running its current release. See 'paas builds:output \(build.number) -a \(push.app)'.")
            // Recorded even when the push was cancelled (the pusher went away).
            try? await Task {
                try await finish(build, status: .failed, reason: reason, transcript: transcript, result: nil, release: nil)
            }.value
            return .rejected("build failed: \(reason)")
        }
    }

    /// Runs the new release and says how it went.
    private func launch(_ release: Release, of app: App, transcript: Transcript) async -> PushVerdict {
        transcript.say("-----> Launching...")
        let started = ContinuousClock.now
        let stages = Mutex<BuildTimings>(BuildTimings())
        do {
            try await deployer?.converge(
                app, progress: { line in transcript.say(line) },
                timing: { name, duration in stages.withLock { $0.record(name, duration) } })
        } catch {
            let reason = (error as? Deployer.Failure)?.reason ?? "the runner could not start it (\(error))"
            if !(error is Deployer.Failure) { logger.error("deploy failed", metadata: ["app": "\(app.name)", "error": "\(error)"]) }
            transcript.say(" !     Release v\(release.version) failed: \(reason)")
            transcript.say(" !     The app keeps running its previous release. See 'paas releases -a \(app.name)'.")
            return .rejected("deploy failed: \(reason)")
        }
        let timings = stages.withLock { $0 }
        transcript.say(
            "       Released v\(release.version) in \(BuildTimings.seconds(ContinuousClock.now - started)) s"
                + (timings.stages.isEmpty ? "" : ": \(timings.summary)"))
        transcript.say("       \(configuration.webURL(for: app.name.rawValue)) deployed to paas")
        return .accepted
    }

    private func buildSlug(of push: Push, app: App, build: Build, transcript: Transcript) async throws -> BuildResult {
        guard let builder else {
            throw BuildError(
                code: "no_build_stack",
                message: "this platform has no build stack; the operator must start paasd with --build-stack (scripts/up does)")
        }
        let source = "\(workDirectory)/\(build.id.uuidString.lowercased())-source"
        try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: source) }
        let started = ContinuousClock.now
        try await push.exportTree(to: source)
        let request = BuildRequest(
            buildID: build.id.uuidString.lowercased(), appName: push.app, sourceDirectory: source,
            config: try await store.config(of: app),
            cacheBlob: try await cacheBlob(for: app, transcript: transcript), stack: app.stack)
        let exported = ContinuousClock.now - started
        var result = try await builder.build(request) { line in transcript.say(line) }
        result.timings = BuildTimings(stages: [.init(name: "export", duration: exported)] + result.timings.stages)
        return result
    }

    private func finish(
        _ build: Build, status: Build.Status, reason: String?, transcript: Transcript, result: BuildResult?, release: Int?
    ) async throws {
        try await store.finishBuild(
            build, status: status, failureReason: reason, output: transcript.text, buildpacks: result?.buildpacks ?? [],
            slugID: result?.slug.sha256, releaseVersion: release)
    }

    /// The few words that end up in git's `! [remote rejected] main -> main (build failed: …)`.
    static func reason(for error: any Error) -> String {
        switch error {
        case let error as BuildError: return error.message
        case let error as ControllerError: return error.message
        case let error as GitError: return error.message
        default: return "an internal error stopped the build"
        }
    }
}

/// A build's output: sent to the pusher line by line, and kept (bounded) for `paas builds:output`.
final class Transcript: Sendable {
    /// Of longer outputs, the first lines within this many bytes are kept.
    static let limit = 4 << 20
    private let output: PushOutput
    private let lines = Mutex<(text: String, dropped: Int)>(("", 0))

    init(output: PushOutput) { self.output = output }

    func say(_ line: String) {
        output.line(line)
        lines.withLock { kept in
            if kept.text.utf8.count + line.utf8.count < Self.limit {
                kept.text += line + "\n"
            } else {
                kept.dropped += 1
            }
        }
    }

    var text: String {
        lines.withLock { $0.dropped == 0 ? $0.text : $0.text + "[\($0.dropped) more lines not kept]\n" }
    }
}
