import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addAppRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.post("apps") { request, context -> EditedResponse<AppResource> in
            let body = try await decodeOptional(AppCreateRequest.self, from: request, context: context) ?? AppCreateRequest()
            let name: AppName
            if let requested = body.name {
                guard let valid = AppName(requested) else { throw ControllerError.invalidAppName(requested) }
                name = valid
            } else {
                name = try await freeRandomName()
            }
            let app = try await store.createApp(named: name, actor: try context.requireActor)
            return EditedResponse(status: .created, response: resource(app))
        }
        v1.get("apps") { _, _ in try await store.apps().map(resource) }
        v1.get("apps/:app") { _, context in resource(try await app(from: context)) }
        v1.delete("apps/:app") { _, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            try await deployer?.stopProcesses(of: app)
            try await store.destroyApp(app, actor: try context.requireActor)
            try await git?.repositories.remove(app.name.rawValue)
            return .noContent
        }
    }

    /// A random name no app has yet.
    private func freeRandomName() async throws -> AppName {
        for _ in 0..<10 {
            let candidate = AppName.random()
            if (try? await store.requireApp(named: candidate.rawValue)) == nil { return candidate }
        }
        throw ControllerError(status: .conflict, code: "app_name_taken", message: "Could not find a free random name. Pass a name.", retryable: true)
    }

    func resource(_ app: App) -> AppResource {
        AppResource(
            id: app.id.description, name: app.name.rawValue, createdAt: app.createdAt,
            webURL: configuration.webURL(for: app.name.rawValue), gitURL: configuration.gitURL(for: app.name.rawValue),
            currentRelease: app.currentRelease)
    }
}
