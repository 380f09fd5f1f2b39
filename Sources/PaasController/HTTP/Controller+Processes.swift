import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addProcessRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("apps/:app/processes") { _, context in
            let app = try await app(from: context)
            guard let runner = deployer?.runner() else { return [ProcessResource]() }
            return try await runner.processes().filter { $0.app == app.name.rawValue }
        }
    }
}
