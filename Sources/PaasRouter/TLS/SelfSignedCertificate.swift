import Crypto
import NIOSSL
import X509

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The router's own certificate for `<domain>` and `*.<domain>`, made at start so HTTPS works
/// before any real certificate is configured.
enum SelfSignedCertificate {
    static func make(domain: String) throws -> CertificateStore.Entry {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("paas")
            CommonName(domain)
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(397 * 24 * 3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName(domain), .dnsName("*.\(domain)")])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return CertificateStore.Entry(
            chain: try NIOSSLCertificate.fromPEMBytes(Array(try certificate.serializeAsPEM().pemString.utf8)),
            key: try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
    }
}
