import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addAddonRoutes(to v1: RouterGroup<ControllerRequestContext>, attachments: AddonAttachments) {
        v1.get("apps/:app/addons") { _, context in
            let app = try await app(from: context)
            return try await store.addons(of: app).map { resource($0, app: app) }
        }
        v1.post("apps/:app/addons") { request, context -> EditedResponse<AddonResource> in
            let app = try await app(from: context)
            let body = try await decode(AddonCreateRequest.self, from: request, context: context)
            let (addon, release) = try await attachments.attach(kind: body.kind, name: body.name, to: app, actor: try context.requireActor)
            await restart(app)
            return EditedResponse(status: .created, response: resource(addon, app: app, release: release.version))
        }
        v1.get("apps/:app/addons/:addon") { _, context in
            let app = try await app(from: context)
            return resource(try await addon(of: app, from: context), app: app)
        }
        v1.delete("apps/:app/addons/:addon") { _, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            _ = try await attachments.detach(try await addon(of: app, from: context), from: app, actor: try context.requireActor)
            await restart(app)
            return .noContent
        }
        v1.post("apps/:app/addons/:addon/backups") { _, context -> EditedResponse<AddonBackupResource> in
            let app = try await app(from: context)
            let addon = try await addon(of: app, from: context)
            let backup = try await attachments.backup(addon, of: app, actor: try context.requireActor)
            return EditedResponse(status: .created, response: resource(backup))
        }
        v1.get("apps/:app/addons/:addon/backups") { _, context in
            let app = try await app(from: context)
            return try await store.backups(of: try await addon(of: app, from: context)).map(resource)
        }
        v1.post("apps/:app/addons/:addon/backups/:number/restore") { _, context in
            let app = try await app(from: context)
            let addon = try await addon(of: app, from: context)
            let text = context.parameters.get("number") ?? ""
            guard let number = Int(text), number > 0 else {
                throw ControllerError.invalidRequest("'\(text)' is not a backup number. Use a number like 2 (see 'paas addons:backups \(addon.name)').")
            }
            return resource(try await attachments.restore(addon, backup: number, of: app, actor: try context.requireActor))
        }
    }

    /// The app's add-on named by the `:addon` path parameter.
    private func addon(of app: App, from context: ControllerRequestContext) async throws -> Addon {
        try await store.requireAddon(named: context.parameters.get("addon") ?? "", of: app)
    }

    func resource(_ addon: Addon, app: App, release: Int? = nil) -> AddonResource {
        AddonResource(
            name: addon.name, kind: addon.kind, app: app.name.rawValue, configVars: addon.configVarNames, createdAt: addon.createdAt,
            release: release)
    }

    func resource(_ backup: Addon.Backup) -> AddonBackupResource {
        AddonBackupResource(number: backup.number, addon: backup.addonName, size: backup.size, createdAt: backup.createdAt)
    }
}
