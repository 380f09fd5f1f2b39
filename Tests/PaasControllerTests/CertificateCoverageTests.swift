@testable import PaasController
import PaasTesting
import Testing

/// A certificate is served only for names its own app owns.
@Suite(.tags(.small))
struct CertificateCoverageTests {
    let hostnames = CertificateCoverage.hostnames(app: "shop", defaultDomain: "paas.example", customDomains: ["www.shop.com", "*.shop.org"])

    @Test func exactNamesAndOneLabelWildcardsCoverTheAppsOwnHostnames() {
        #expect(CertificateCoverage.served(certificateNames: ["www.shop.com"], appHostnames: hostnames) == ["www.shop.com"])
        #expect(CertificateCoverage.served(certificateNames: ["*.paas.example"], appHostnames: hostnames) == ["shop.paas.example"])
        #expect(CertificateCoverage.served(certificateNames: ["*.shop.org"], appHostnames: hostnames) == ["*.shop.org"])
        #expect(CertificateCoverage.served(certificateNames: ["WWW.Shop.com", "*.shop.com"], appHostnames: hostnames) == ["www.shop.com"])
    }

    @Test func namesOfOtherAppsOrDeeperLevelsAreNotServed() {
        #expect(CertificateCoverage.served(certificateNames: ["www.bank.com", "bank.paas.example"], appHostnames: hostnames) == [])
        #expect(CertificateCoverage.served(certificateNames: ["*.example"], appHostnames: hostnames) == [], "one label only")
        #expect(CertificateCoverage.served(certificateNames: ["a.shop.org"], appHostnames: hostnames) == [], "an exact name does not stand for the app's wildcard")
        #expect(CertificateCoverage.served(certificateNames: ["*.com"], appHostnames: hostnames) == [])
    }
}
