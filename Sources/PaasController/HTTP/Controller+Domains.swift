import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addDomainRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/domains") { _, context in
            try await store.domains(of: try await app(from: context)).map(resource)
        }
        v1.post("apps/:app/domains") { request, context -> EditedResponse<DomainResource> in
            let app = try await app(from: context)
            let body = try await decode(DomainCreateRequest.self, from: request, context: context)
            let domain = try await store.addDomain(body.hostname, to: app, actor: try context.requireActor)
            return EditedResponse(status: .created, response: resource(domain))
        }
        v1.delete("apps/:app/domains/:hostname") { _, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            try await store.removeDomain(context.parameters.get("hostname") ?? "", from: app, actor: try context.requireActor)
            return .noContent
        }
    }

    func resource(_ domain: Domain) -> DomainResource {
        DomainResource(hostname: domain.hostname, createdAt: domain.createdAt)
    }
}
