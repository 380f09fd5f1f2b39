import PaasAPI

/// Which app serves a Host header: a pure value built from the controller's route table.
///
/// Lookup order: `<app>.<defaultDomain>`, then the apps' exact custom domains, then one-label
/// wildcards (`*.example.com` matches `a.example.com`, not `a.b.example.com`). Hosts are matched
/// case-insensitively, without port or trailing dot.
public struct RouteTable: Sendable {
    /// One app as the router sees it.
    public struct App: Sendable, Equatable {
        /// The app's name, as in `<app>.<defaultDomain>`.
        public var name: String
        /// Plain HTTP requests are answered with a 301 to HTTPS.
        public var redirectHTTPS: Bool
        /// The web processes requests may go to; empty means a 503 page.
        public var backends: [RouteBackendResource]
    }

    /// The platform's default domain, lowercased.
    public let defaultDomain: String
    /// The apps, in the controller's order.
    public let apps: [App]
    private let byName: [String: Int]
    private let exactDomains: [String: Int]
    private let wildcardDomains: [String: Int]

    /// Builds the lookup maps. Later duplicates of a domain lose to earlier ones.
    public init(_ resource: RouteTableResource) {
        var apps: [App] = []
        var byName: [String: Int] = [:]
        var exact: [String: Int] = [:]
        var wildcard: [String: Int] = [:]
        for (index, app) in resource.apps.enumerated() {
            apps.append(App(name: app.app, redirectHTTPS: app.redirectHTTPS, backends: app.backends))
            let name = app.app.lowercased()
            if byName[name] == nil { byName[name] = index }
            for domain in app.domains {
                let domain = RouteTable.normalize(domain)
                if domain.hasPrefix("*.") {
                    let parent = String(domain.dropFirst(2))
                    if wildcard[parent] == nil { wildcard[parent] = index }
                } else if exact[domain] == nil {
                    exact[domain] = index
                }
            }
        }
        self.defaultDomain = RouteTable.normalize(resource.defaultDomain)
        self.apps = apps
        self.byName = byName
        self.exactDomains = exact
        self.wildcardDomains = wildcard
    }

    /// The app serving `host` (a Host header value, port allowed), or `nil` for an unknown host.
    public func app(forHost host: String) -> App? {
        index(forHost: host).map { apps[$0] }
    }

    /// The index in ``apps`` of the app serving `host`.
    func index(forHost host: String) -> Int? {
        let name = RouteTable.normalize(RouteTable.stripPort(host))
        if name.hasSuffix(defaultDomain), name.utf8.count > defaultDomain.utf8.count + 1 {
            let prefixEnd = name.index(name.endIndex, offsetBy: -(defaultDomain.count + 1))
            if name[prefixEnd] == ".", !name[..<prefixEnd].contains("."), let index = byName[String(name[..<prefixEnd])] {
                return index
            }
        }
        if let index = exactDomains[name] { return index }
        if let dot = name.firstIndex(of: ".") {
            return wildcardDomains[String(name[name.index(after: dot)...])]
        }
        return nil
    }

    /// Lowercased, without a trailing dot.
    static func normalize(_ name: some StringProtocol) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// `example.com:8080` → `example.com`; `[::1]:80` → `[::1]`.
    static func stripPort(_ host: String) -> Substring {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return host[...close]
        }
        if let colon = host.lastIndex(of: ":") { return host[..<colon] }
        return host[...]
    }
}
