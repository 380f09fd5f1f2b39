import Hummingbird
import PaasAPI
import PaasCore

extension Controller {
    func addStackRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("stacks") { _, _ in
            configuration.knownStacks.map {
                StackResource(name: $0.name, default: $0.name == configuration.defaultStack, versions: $0.versions)
            }
        }
    }

    /// `name` when the platform has that stack, else `unknown_stack` (422) naming the ones it has.
    func requireStack(_ name: String) throws -> String {
        let known = configuration.knownStacks.map(\.name)
        guard known.contains(name) else {
            throw ControllerError(
                status: .unprocessableContent, code: "unknown_stack",
                message: "This platform has no stack '\(name.prefix(40))'. Its stacks are: \(known.joined(separator: ", ")). Run 'paas stack' to see them.")
        }
        return name
    }
}
