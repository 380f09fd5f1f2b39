import Hummingbird
import NIOCore
import PaasAPI
import PaasCore

extension Controller {
    /// The route table for routers (`GET /v1/router/table`, `?watch=true` for server-sent events)
    /// and the app's TLS certificates (`/v1/apps/{app}/certs`).
    func addRoutingRoutes(to v1: RouterGroup<ControllerRequestContext>) {
        v1.get("router/table") { request, context in
            guard let routes else {
                throw ControllerError(status: .notFound, code: "not_found", message: "This controller serves no route table.")
            }
            guard request.uri.queryParameters.get("watch") == "true" else {
                return try await routes.current().response(from: request, context: context)
            }
            let tables = try await routes.watch()
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    let encoder = APICoding.makeEncoder()
                    for await table in tables {
                        let json = String(decoding: try encoder.encode(table), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: "event: table\ndata: \(json)\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
        // Routers send their per-request lines (`paas[router]: at=info method=GET …`) here, in
        // batches; they go to the apps' logs. Lines of unknown apps are dropped.
        v1.post("router/logs") { request, context -> HTTPResponse.Status in
            let lines = try await decode([RouterLogLine].self, from: request, context: context)
            guard let host = try await deployer?.reachableHosts().first else { return .noContent }
            for (app, lines) in Dictionary(grouping: lines, by: \.app) where AppName.isValid(app) {
                try? await host.client.appendLogs(app: app, lines.map { LogEventRequest(dyno: "router", text: $0.text) })
            }
            return .noContent
        }
        v1.get("apps/:app/certs") { _, context in
            try await store.certificates(of: try await app(from: context))
        }
        v1.post("apps/:app/certs") { request, context -> EditedResponse<CertificateResource> in
            let app = try await app(from: context)
            let body = try await decode(CertificateCreateRequest.self, from: request, context: context)
            let bundle = try CertificateBundle(certificatePEM: body.certificatePEM, privateKeyPEM: body.privateKeyPEM)
            let hostnames = CertificateCoverage.hostnames(
                app: app.name.rawValue, defaultDomain: configuration.domain, customDomains: try await store.domains(of: app).map(\.hostname))
            guard !CertificateCoverage.served(certificateNames: bundle.domains, appHostnames: hostnames).isEmpty else {
                throw ControllerError(
                    status: .unprocessableContent, code: "certificate_domains_not_owned",
                    message: "That certificate is for \(bundle.domains.joined(separator: ", ")), none of which is \(app.name)'s (\(hostnames.joined(separator: ", "))). Add the domain first: 'paas domains:add \(bundle.domains[0]) -a \(app.name)'.")
            }
            let certificate = try await store.addCertificate(bundle, to: app, actor: try context.requireActor)
            try? await routes?.refresh()
            return EditedResponse(status: .created, response: certificate)
        }
        v1.delete("apps/:app/certs/:name") { _, context -> HTTPResponse.Status in
            let app = try await app(from: context)
            try await store.removeCertificate(named: context.parameters.get("name") ?? "", from: app, actor: try context.requireActor)
            try? await routes?.refresh()
            return .noContent
        }
    }
}
