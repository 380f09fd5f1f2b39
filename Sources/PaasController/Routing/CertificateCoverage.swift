/// Which of an app's hostnames a certificate may be served for: the names it covers that the app
/// owns. A certificate uploaded to one app is never served for another app's names, whatever its
/// subject alternative names say.
enum CertificateCoverage {
    /// The app's hostnames (`app.<default domain>` and its custom domains, exact or `*.x`) that
    /// one of `certificateNames` covers. A certificate's `*.example.com` covers one label
    /// (`shop.example.com`, not `example.com` or `a.b.example.com`); an app's wildcard domain is
    /// covered only by the same wildcard.
    static func served(certificateNames: [String], appHostnames: [String]) -> [String] {
        let names = certificateNames.map { $0.lowercased() }
        return appHostnames.map { $0.lowercased() }.filter { hostname in
            names.contains { covers($0, hostname) }
        }
    }

    /// The app's hostnames on a platform whose default domain is `defaultDomain`.
    static func hostnames(app: String, defaultDomain: String, customDomains: [String]) -> [String] {
        ["\(app).\(defaultDomain)".lowercased()] + customDomains
    }

    private static func covers(_ name: String, _ hostname: String) -> Bool {
        if name == hostname { return true }
        guard name.hasPrefix("*."), !hostname.hasPrefix("*.") else { return false }
        guard let dot = hostname.firstIndex(of: ".") else { return false }
        return hostname[hostname.index(after: dot)...] == name.dropFirst(2)
    }
}
