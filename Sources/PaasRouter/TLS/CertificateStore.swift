import Logging
import NIOSSL
import PaasAPI

/// The certificates served on HTTPS, chosen by SNI: exact name, then a one-label wildcard, else
/// the router's self-signed certificate for the default domain.
final class CertificateStore: Sendable {
    /// A certificate chain and its key, ready for a handshake.
    struct Entry: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    /// The controller's certificates this store was built from.
    let sources: [RouteCertificateResource]
    /// The domain the fallback certificate covers.
    let fallbackDomain: String
    let fallback: Entry
    private let exact: [String: Entry]
    private let wildcard: [String: Entry]

    init(sources: [RouteCertificateResource], fallbackDomain: String, fallback: Entry, logger: Logger) {
        var exact: [String: Entry] = [:]
        var wildcard: [String: Entry] = [:]
        for source in sources {
            let entry: Entry
            do {
                entry = Entry(
                    chain: try NIOSSLCertificate.fromPEMBytes(Array(source.certificatePEM.utf8)),
                    key: try NIOSSLPrivateKey(bytes: Array(source.privateKeyPEM.utf8), format: .pem))
            } catch {
                logger.error(
                    "A certificate or its key cannot be read; its domains get the self-signed certificate",
                    metadata: ["domains": "\(source.domains)", "error": "\(error)"])
                continue
            }
            for domain in source.domains.map(RouteTable.normalize) {
                if domain.hasPrefix("*.") {
                    wildcard[String(domain.dropFirst(2))] = wildcard[String(domain.dropFirst(2))] ?? entry
                } else {
                    exact[domain] = exact[domain] ?? entry
                }
            }
        }
        self.sources = sources
        self.fallbackDomain = fallbackDomain
        self.fallback = fallback
        self.exact = exact
        self.wildcard = wildcard
    }

    /// The certificate for a client's SNI name (`nil` when it sent none).
    func entry(forServerName serverName: String?) -> Entry {
        guard let serverName else { return fallback }
        let name = RouteTable.normalize(serverName)
        if let entry = exact[name] { return entry }
        if let dot = name.firstIndex(of: "."), let entry = wildcard[String(name[name.index(after: dot)...])] {
            return entry
        }
        return fallback
    }

    /// This store if `resource` has the same certificates and default domain, else a new one
    /// (with a new self-signed certificate if the default domain changed).
    func updated(for resource: RouteTableResource, logger: Logger) -> CertificateStore {
        let domain = RouteTable.normalize(resource.defaultDomain)
        if sources == resource.certificates, domain == fallbackDomain { return self }
        var fallback = self.fallback
        var fallbackDomain = self.fallbackDomain
        if domain != self.fallbackDomain {
            do {
                fallback = try SelfSignedCertificate.make(domain: domain)
                fallbackDomain = domain
            } catch {
                logger.error(
                    "Cannot make a self-signed certificate for the default domain; keeping the previous one",
                    metadata: ["domain": "\(domain)", "error": "\(error)"])
            }
        }
        return CertificateStore(
            sources: resource.certificates, fallbackDomain: fallbackDomain, fallback: fallback, logger: logger)
    }
}
