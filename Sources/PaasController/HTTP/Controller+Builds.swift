import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addBuildRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/builds") { _, context in
            let app = try await app(from: context)
            return try await store.builds(of: app).map { resource($0, withOutput: false) }
        }
        v1.get("apps/:app/builds/:number") { _, context in
            let app = try await app(from: context)
            let text = context.parameters.get("number") ?? ""
            guard let number = Int(text), number > 0 else {
                throw ControllerError.invalidRequest("'\(text)' is not a build number. Use a number like 3 (see 'paas builds').")
            }
            return resource(try await store.build(of: app, number: number), withOutput: true)
        }
    }

    func resource(_ build: Build, withOutput: Bool) -> BuildResource {
        BuildResource(
            id: build.id.uuidString.lowercased(), number: build.number, commit: build.commit, status: build.status.rawValue,
            failureReason: build.failureReason, buildpacks: build.buildpacks, slugID: build.slugID,
            releaseVersion: build.releaseVersion, createdBy: build.createdBy, createdAt: build.createdAt,
            finishedAt: build.finishedAt, output: withOutput ? build.output : nil)
    }
}

