import PaasAddons

extension Platform {
    /// The add-on providers, under `<data-dir>/addons`. When this host runs apps, the managed
    /// servers listen on the bridge gateway and apps reach them at `<kind>.addons.internal`,
    /// which this host's DNS discovery answers with the gateway; otherwise they listen on
    /// loopback and URLs name 127.0.0.1. An existing server (`--mysql-admin-url`, …) keeps its
    /// own host in URLs.
    func makeAddons(runnerService: RunnerService?) -> AddonProviders {
        var addons = AddonsConfiguration(dataDirectory: configuration.dataDirectory)
        addons.mysqlAdminURL = configuration.mysqlAdminURL
        addons.postgresqlAdminURL = configuration.postgresAdminURL
        (addons.mysqlPort, addons.postgresqlPort, addons.redisPorts) = configuration.addonPorts
        if let runnerService {
            let gateway = "\(runnerService.network.gateway)"
            var managed: [AddonKind] = [.redis]
            if configuration.mysqlAdminURL == nil { managed.append(.mysql) }
            if configuration.postgresAdminURL == nil { managed.append(.postgresql) }
            addons.listenAddress = gateway
            addons.urlHosts = Dictionary(uniqueKeysWithValues: managed.map { ($0, Self.addonHost($0)) })
            runnerService.discovery.update(staticNames: Dictionary(uniqueKeysWithValues: managed.map { (Self.addonHost($0), [gateway]) }))
        }
        return AddonProviders(configuration: addons, logger: logger)
    }

    /// The stable name apps reach a kind's managed server at, e.g. `mysql.addons.internal`.
    static func addonHost(_ kind: AddonKind) -> String { "\(kind.rawValue).addons.internal" }

    /// Starts the servers of add-ons made before this start, so that apps find them when they
    /// come back. A server that does not start is logged, not fatal: apps without add-ons keep
    /// running, and the provider tries again on its next use.
    func startAddons(_ addons: AddonProviders) async {
        do {
            try await addons.start()
        } catch {
            logger.error("add-on servers did not start", metadata: ["error": "\(error)"])
        }
    }
}
