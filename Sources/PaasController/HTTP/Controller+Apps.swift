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
            let stack = try body.stack.map(requireStack) ?? configuration.defaultStack
            let app = try await store.createApp(named: name, stack: stack, actor: try context.requireActor)
            return EditedResponse(status: .created, response: resource(app))
        }
        v1.get("apps") { _, _ in try await store.apps().map(resource) }
        v1.get("apps/:app") { _, context in resource(try await app(from: context)) }
        v1.patch("apps/:app") { request, context in
            let app = try await app(from: context)
            var body = try await decode(AppUpdateRequest.self, from: request, context: context)
            var updated = app
            if let stack = body.stack {
                let name = try requireStack(stack)
                if name != app.stack { updated = try await store.setStack(of: app, to: name, actor: try context.requireActor) }
                body.stack = nil
                // A stack change alone changes no process setting.
                if body == AppUpdateRequest() { return resource(updated) }
            }
            let (settings, change) = try Self.apply(body, to: app.settings)
            updated = try await store.updateSettings(of: updated, to: settings, change: change, actor: try context.requireActor)
            if settings.stopped != app.settings.stopped { await restart(updated) }
            return resource(updated)
        }
        v1.delete("apps/:app") { _, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            try await deployer?.stopProcesses(of: app)
            // Its log goes with it on every host, so that a new app of the same name cannot read it.
            for host in try await deployer?.reachableHosts() ?? [] {
                try await host.client.removeLogs(app: app.name.rawValue)
            }
            try await addonAttachments?.deprovisionAll(of: app)
            try await store.destroyApp(app, actor: try context.requireActor)
            try await git?.repositories.remove(app.name.rawValue)
            return .noContent
        }
    }

    /// The settings after `update`, and the change in words for the audit log.
    static func apply(_ update: AppUpdateRequest, to current: AppSettings) throws -> (AppSettings, String) {
        var settings = current
        var changes: [String] = []
        for (name, value, path) in [
            ("boot timeout", update.bootTimeoutSeconds, \AppSettings.bootTimeoutSeconds),
            ("stop timeout", update.stopTimeoutSeconds, \AppSettings.stopTimeoutSeconds),
        ] {
            guard let value else { continue }
            guard AppSettings.timeoutRange.contains(value) else {
                throw ControllerError.invalidRequest(
                    "The \(name) goes from \(AppSettings.timeoutRange.lowerBound) to \(AppSettings.timeoutRange.upperBound) seconds; \(value) is outside.")
            }
            settings[keyPath: path] = value
            changes.append("Set \(name) to \(value) s")
        }
        if let redirect = update.redirectHTTPS {
            settings.redirectHTTPS = redirect
            changes.append(redirect ? "Redirect HTTP to HTTPS" : "Serve plain HTTP")
        }
        if let stopped = update.stopped {
            settings.stopped = stopped
            changes.append(stopped ? "Stopped all processes" : "Started the processes again")
        }
        guard !changes.isEmpty else {
            throw ControllerError.invalidRequest("Say what to change: boot_timeout_seconds, stop_timeout_seconds, stopped, redirect_https or stack.")
        }
        return (settings, changes.joined(separator: ", "))
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
            currentRelease: app.currentRelease, settings: app.settings, stack: app.stack)
    }
}
