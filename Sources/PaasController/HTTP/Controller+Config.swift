import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addConfigRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/config-vars") { _, context in
            try await store.config(of: try await app(from: context))
        }
        v1.patch("apps/:app/config-vars") { request, context in
            let app = try await app(from: context)
            let update = try await decode(ConfigVarsUpdate.self, from: request, context: context)
            guard !update.isEmpty else {
                throw ControllerError.invalidRequest("Say which config vars to set or unset, e.g. {\"FOO\": \"bar\", \"OLD\": null}.")
            }
            if let bad = update.keys.sorted().first(where: { !ConfigVarName.isValid($0) }) {
                throw ControllerError(status: .unprocessableContent, code: "invalid_config_var", message: "'\(bad)' is not a valid config var name. \(ConfigVarName.rule)")
            }
            let config = try await store.updateConfig(of: app, update: update, actor: try context.requireActor)
            await restart(app)
            return config
        }
    }
}
