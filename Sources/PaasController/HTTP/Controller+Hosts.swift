import Hummingbird
import PaasAPI

extension Controller {
    /// Runner hosts: `paasd runner` registers itself on start (`PUT /v1/hosts/{name}`); the
    /// controller then converges every app, so what should run on the new host starts there.
    func addHostRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("hosts") { _, _ in
            try await store.hosts().map { HostResource(name: $0.name, runnerURL: $0.runnerURL, registeredAt: $0.registeredAt) }
        }
        v1.put("hosts/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            guard name.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9.-]{0,62}/) != nil else {
                throw ControllerError.invalidRequest("'\(name)' is not a host name: letters, digits, '.' and '-', up to 63.")
            }
            let body = try await decode(HostRegistrationRequest.self, from: request, context: context)
            guard body.runnerURL.wholeMatch(of: /https?:\/\/[^\s\/]+\/?/) != nil, !body.hostToken.isEmpty else {
                throw ControllerError.invalidRequest("Register with the runner's base URL (http://HOST:PORT) and its host token.")
            }
            let caller = context.token
            // A host token re-registers its own hosts (a restart), never one another token registered.
            if let caller, caller.scope == .host,
                let existing = try await store.hosts().first(where: { $0.name == name }), existing.registeredBy != caller.id
            {
                throw ControllerError(
                    status: .conflict, code: "host_taken",
                    message: "Host '\(name)' was registered with another token. Start this runner with another --name, or remove the host with an admin token first.")
            }
            let host = try await store.registerHost(
                name: name, runnerURL: body.runnerURL, token: body.hostToken, registeredBy: caller?.id)
            if let deployer { Task { await deployer.convergeAll() } }
            return HostResource(name: host.name, runnerURL: host.runnerURL, registeredAt: host.registeredAt)
        }
    }
}
