import Logging
import PaasAPI

/// Everything a request needs from one version of the route table, swapped whole on update so
/// a request sees one consistent version from start to end.
final class RouteSnapshot: Sendable {
    let version: Int
    let table: RouteTable
    /// Parallel to `table.apps`.
    let backends: [AppBackends]
    let certificates: CertificateStore

    /// Builds a snapshot, reusing `previous`'s backend objects for backends still present so
    /// their in-flight counts carry over. Backends whose address cannot be resolved are left out
    /// and logged.
    init(
        _ resource: RouteTableResource, previous: RouteSnapshot?, certificates: CertificateStore, logger: Logger
    ) {
        var known: [BackendKey: BackendState] = [:]
        for app in previous?.backends ?? [] {
            for backend in app.backends { known[backend.key] = backend }
        }
        let table = RouteTable(resource)
        self.version = resource.version
        self.table = table
        self.backends = table.apps.map { app in
            AppBackends(
                app.backends.compactMap { resource in
                    let key = BackendKey(host: resource.host, port: resource.port)
                    if let state = known[key], state.process == resource.process { return state }
                    do {
                        return try BackendState(resource)
                    } catch {
                        logger.error(
                            "Backend address cannot be resolved; it gets no requests",
                            metadata: ["app": "\(app.name)", "backend": "\(resource.host):\(resource.port)", "error": "\(error)"])
                        return nil
                    }
                })
        }
        self.certificates = certificates
    }
}
