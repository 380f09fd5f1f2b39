import PaasCore

/// What the controller needs to know about the platform around it.
public struct ControllerConfiguration: Sendable {
    /// Apps are served at `<app>.<domain>` by the router.
    public var domain: String = "localhost"
    /// The router's HTTP port, part of app URLs unless it is 80.
    public var routerHTTPPort: Int = 8080
    /// The public base URL of the API and git server, e.g. `http://127.0.0.1:5100`.
    public var apiURL: String = "http://127.0.0.1:5100"
    /// The platform's stacks with their versions (`GET /v1/stacks`); empty: only the default one.
    public var stacks: [Stack] = []
    /// The stack new apps get.
    public var defaultStack: String = Stack.defaultName

    public init(
        domain: String = "localhost", routerHTTPPort: Int = 8080, apiURL: String = "http://127.0.0.1:5100",
        stacks: [Stack] = [], defaultStack: String = Stack.defaultName
    ) {
        self.domain = domain
        self.routerHTTPPort = routerHTTPPort
        self.apiURL = apiURL
        self.stacks = stacks
        self.defaultStack = defaultStack
    }

    /// The platform's stacks, the default one included even when `stacks` is empty.
    public var knownStacks: [Stack] {
        stacks.contains { $0.name == defaultStack } ? stacks : [Stack(name: defaultStack)] + stacks
    }

    /// Where the router serves `app`.
    public func webURL(for app: String) -> String {
        routerHTTPPort == 80 ? "http://\(app).\(domain)/" : "http://\(app).\(domain):\(routerHTTPPort)/"
    }

    /// The git remote URL of `app`.
    public func gitURL(for app: String) -> String { "\(apiURL)/\(app).git" }
}
