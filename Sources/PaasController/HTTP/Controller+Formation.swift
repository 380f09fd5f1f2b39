import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addFormationRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/formation") { _, context in
            try await store.formation(of: try await app(from: context)).entries.map(resource)
        }
        v1.patch("apps/:app/formation") { request, context in
            let app = try await app(from: context)
            let update = try await decode(FormationUpdate.self, from: request, context: context)
            let formation = try await store.scale(app, update: update, actor: try context.requireActor)
            await restart(app)
            return formation.entries.map(resource)
        }
        v1.patch("apps/:app/formation/:type") { request, context in
            let app = try await app(from: context)
            let type = context.parameters.get("type") ?? ""
            let body = try await decode(FormationResizeRequest.self, from: request, context: context)
            let formation = try await store.resize(app, type: type, memoryMiB: body.memoryMiB, actor: try context.requireActor)
            // The new limit takes effect when the type's processes start again.
            try await deployer?.restart(app, type: type)
            return formation.entries.map(resource)
        }
    }

    func resource(_ entry: Formation.Entry) -> FormationResource {
        FormationResource(type: entry.type, quantity: entry.quantity, command: entry.command, memoryMiB: entry.memoryMiB)
    }
}
