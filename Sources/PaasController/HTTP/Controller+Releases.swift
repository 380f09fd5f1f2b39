import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addReleaseRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/releases") { _, context in
            let app = try await app(from: context)
            return try await store.releases(of: app).map { resource($0, app: app) }
        }
        v1.get("apps/:app/releases/:version") { _, context in
            let app = try await app(from: context)
            let text = context.parameters.get("version") ?? ""
            guard let version = Int(text.hasPrefix("v") ? String(text.dropFirst()) : text), version > 0 else {
                throw ControllerError.invalidRequest("'\(text)' is not a release version. Use a number like 3 or v3.")
            }
            return resource(try await store.release(of: app, version: version), app: app)
        }
        v1.post("apps/:app/rollback") { request, context -> EditedResponse<ReleaseResource> in
            let app = try await app(from: context)
            let body = try await decodeOptional(RollbackRequest.self, from: request, context: context) ?? RollbackRequest()
            let release = try await store.rollback(app, to: body.version, actor: try context.requireActor)
            await restart(app)
            return EditedResponse(status: .created, response: resource(release, app: try await store.requireApp(named: app.name.rawValue)))
        }
    }

    func resource(_ release: Release, app: App) -> ReleaseResource {
        ReleaseResource(
            id: release.id.uuidString.lowercased(), version: release.version, description: release.description,
            slugID: release.slugID, processTypes: release.processTypes, config: release.config,
            status: release.status.rawValue, statusReason: release.statusReason, createdBy: release.createdBy,
            createdAt: release.createdAt, current: release.version == app.currentRelease, stack: release.stack)
    }
}
