#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The controller's `GET /v1/router/table`: everything a router needs to serve every app.
///
/// `GET /v1/router/table?watch=true` streams the same document as server-sent events (event
/// `table`), once at once and again after every change, so routers update without a reload.
public struct RouteTableResource: Codable, Sendable, Equatable {
    /// Increases with every change, so a router can ignore a table older than the one it has.
    public var version: Int
    /// The platform's default domain: app `myapp` is served at `myapp.<defaultDomain>`.
    public var defaultDomain: String
    public var apps: [AppRouteResource]
    /// Certificates for HTTPS, chosen by SNI; a host with none gets the router's self-signed one.
    public var certificates: [RouteCertificateResource]

    public init(
        version: Int, defaultDomain: String, apps: [AppRouteResource], certificates: [RouteCertificateResource] = []
    ) {
        self.version = version
        self.defaultDomain = defaultDomain
        self.apps = apps
        self.certificates = certificates
    }

    enum CodingKeys: String, CodingKey {
        case version, apps, certificates
        case defaultDomain = "default_domain"
    }
}

/// One app in the route table.
public struct AppRouteResource: Codable, Sendable, Equatable {
    public var app: String
    /// Custom domains: exact (`www.example.com`) or one leading wildcard (`*.example.com`).
    public var domains: [String]
    /// Answer plain HTTP with a 301 to HTTPS.
    public var redirectHTTPS: Bool
    /// The app's web processes that are up and not being stopped; empty means a 503 page.
    public var backends: [RouteBackendResource]

    public init(app: String, domains: [String] = [], redirectHTTPS: Bool = false, backends: [RouteBackendResource]) {
        self.app = app
        self.domains = domains
        self.redirectHTTPS = redirectHTTPS
        self.backends = backends
    }

    enum CodingKeys: String, CodingKey {
        case app, domains, backends
        case redirectHTTPS = "redirect_https"
    }
}

/// A web process the router may send requests to.
public struct RouteBackendResource: Codable, Sendable, Equatable, Hashable {
    /// `web.1`: named in access-log lines.
    public var process: String
    /// Its IPv4 address on the platform network.
    public var host: String
    public var port: Int

    public init(process: String, host: String, port: Int) {
        self.process = process
        self.host = host
        self.port = port
    }
}

/// A certificate and its key (PEM) for the domains it covers.
public struct RouteCertificateResource: Codable, Sendable, Equatable {
    /// The names it is served for (exact or `*.example.com`).
    public var domains: [String]
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(domains: [String], certificatePEM: String, privateKeyPEM: String) {
        self.domains = domains
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    enum CodingKeys: String, CodingKey {
        case domains
        case certificatePEM = "certificate_pem"
        case privateKeyPEM = "private_key_pem"
    }
}

/// A line the router adds to an app's log (`heroku[router]` style): one per request.
public struct RouterLogLine: Codable, Sendable, Equatable {
    public var app: String
    public var text: String

    public init(app: String, text: String) {
        self.app = app
        self.text = text
    }
}
