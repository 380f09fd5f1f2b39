import Hummingbird
import PaasAPI
import PaasCore

// `paas network`, `network:allow`, `network:deny`: which other apps an app's processes may reach.
extension Controller {
    func addNetworkRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/network") { _, context in
            let app = try await app(from: context)
            return AppNetworkResource(app: app.name.rawValue, reaches: try await store.links(of: app))
        }
        v1.put("apps/:app/network/reaches/:target") { _, context in
            let (app, target) = try await linkedApps(from: context)
            try await store.link(app, to: target, actor: try context.requireActor)
            return try await publishLinks(of: app)
        }
        v1.delete("apps/:app/network/reaches/:target") { _, context in
            let (app, target) = try await linkedApps(from: context)
            try await store.unlink(app, from: target, actor: try context.requireActor)
            return try await publishLinks(of: app)
        }
    }

    /// The app of the path and the app its `:target` names, which must be another one.
    private func linkedApps(from context: ControllerRequestContext) async throws -> (App, App) {
        let app = try await app(from: context)
        let target = try await store.requireApp(named: context.parameters.get("target") ?? "")
        guard target.id != app.id else {
            throw ControllerError(
                status: .unprocessableContent, code: "invalid_network_link",
                message: "An app's processes always reach each other; name another app to link \(app.name.rawValue) to.")
        }
        return (app, target)
    }

    /// Tells every host what `app` may reach now (processes started later carry it in their
    /// start request, so a host that misses this learns it with the next start).
    private func publishLinks(of app: App) async throws -> AppNetworkResource {
        let resource = AppNetworkResource(app: app.name.rawValue, reaches: try await store.links(of: app))
        for host in try await deployer?.reachableHosts() ?? [] {
            do {
                try await host.client.setNetwork(resource)
            } catch {
                store.logger.warning(
                    "cannot tell a host an app's links", metadata: ["host": "\(host.name)", "app": "\(app.name)", "error": "\(error)"])
            }
        }
        return resource
    }
}
