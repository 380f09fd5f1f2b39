import PaasController
import PaasCore

extension ControllerStore {
    /// Records a release of newly built code as a push would, and marks it succeeded as the
    /// deployer does once its processes run: for tests that need releases with code but no runner.
    @discardableResult
    public func recordSucceededDeploy(
        _ app: App, slugID: String, processTypes: [String: String], commit: String, actor: String
    ) async throws -> Release {
        var release = try await deploy(app, slugID: slugID, processTypes: processTypes, commit: commit, actor: actor)
        try await markReleaseSucceeded(app, version: release.version)
        release.status = .succeeded
        return release
    }
}
