import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addEventRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/events") { _, context in
            try await store.events(of: try await app(from: context)).map(resource)
        }
    }

    func resource(_ event: AuditEvent) -> EventResource {
        EventResource(id: event.id, actor: event.actor, action: event.action, description: event.description, createdAt: event.createdAt)
    }
}
