/// What the controller needs to know about the platform around it.
public struct ControllerConfiguration: Sendable {
    /// Apps are served at `<app>.<domain>` by the router.
    public var domain: String = "localhost"
    /// The router's HTTP port, part of app URLs unless it is 80.
    public var routerHTTPPort: Int = 8080
    /// The public base URL of the API and git server, e.g. `http://127.0.0.1:5100`.
    public var apiURL: String = "http://127.0.0.1:5100"

    public init(domain: String = "localhost", routerHTTPPort: Int = 8080, apiURL: String = "http://127.0.0.1:5100") {
        self.domain = domain
        self.routerHTTPPort = routerHTTPPort
        self.apiURL = apiURL
    }

    /// Where the router serves `app`.
    public func webURL(for app: String) -> String {
        routerHTTPPort == 80 ? "http://\(app).\(domain)/" : "http://\(app).\(domain):\(routerHTTPPort)/"
    }

    /// The git remote URL of `app`.
    public func gitURL(for app: String) -> String { "\(apiURL)/\(app).git" }
}
