#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasAPI
import PaasClient
import PaasCore

/// The release phase: the Procfile's `release:` command runs once per new release,
/// as a one-off process of that release, before any of its processes start.
extension Deployer {
    /// Runs `release`'s release command to its end, passing its output to `progress`. Returns nil
    /// when it succeeded, else the reason it failed (`release command exited with status 1: …`).
    func runReleasePhase(
        of release: Release, app: App, runner: RunnerClient, progress: @Sendable (String) -> Void
    ) async throws -> String? {
        guard release.processTypes[Formation.releasePhaseType] != nil, let slug = release.slugID else { return nil }
        progress("-----> Running release command...")
        var environment = release.config
        environment["PORT"] = "5000"
        let request = ProcessStartRequest(
            app: app.name.rawValue, release: release.version, slugID: slug, type: Formation.releasePhaseType, index: 1,
            command: [Formation.releasePhaseType], processTypes: release.processTypes, env: environment,
            stack: release.stack, reaches: try await store.links(of: app))
        var lastLine: String?
        for try await event in try await runner.run(request) {
            guard event.event == "exit" else {
                progress("       \(event.data)")
                if !event.data.trimmingCharacters(in: .whitespaces).isEmpty { lastLine = event.data }
                continue
            }
            let exit = try APICoding.makeDecoder().decode(RunExit.self, from: Data(event.data.utf8))
            guard exit.status != 0 else { return nil }
            return "release command \(exit.reason)" + (lastLine.map { ": \(String($0.prefix(300)))" } ?? "")
        }
        return "release command ended without an exit status (the runner went away)"
    }
}
