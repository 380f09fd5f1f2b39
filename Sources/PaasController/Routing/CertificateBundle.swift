#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// A certificate chain and its private key as an app owner uploads them (`paas certs:add`),
/// checked: the PEM parses, the key belongs to the first certificate, and it names domains.
struct CertificateBundle: Sendable {
    /// The names the certificate covers (DNS subject alternative names, lowercased).
    var domains: [String]
    var expiresAt: Date
    var certificatePEM: String
    var privateKeyPEM: String

    init(certificatePEM: String, privateKeyPEM: String) throws(ControllerError) {
        let leaf: Certificate
        let key: Certificate.PrivateKey
        do {
            guard let first = try PEMDocument.parseMultiple(pemString: certificatePEM).first else { throw Self.invalid("no certificate in it") }
            leaf = try Certificate(pemDocument: first)
        } catch let error as ControllerError {
            throw error
        } catch {
            throw Self.invalid("the certificate is not PEM (-----BEGIN CERTIFICATE-----)")
        }
        do {
            key = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        } catch {
            throw Self.invalid("the key is not a PEM private key (RSA, EC or Ed25519)")
        }
        guard key.publicKey == leaf.publicKey else { throw Self.invalid("the key does not belong to the certificate") }
        var domains: [String] = []
        for name in (try? leaf.extensions.subjectAlternativeNames) ?? SubjectAlternativeNames([]) {
            if case .dnsName(let domain) = name { domains.append(domain.lowercased()) }
        }
        guard !domains.isEmpty else { throw Self.invalid("the certificate names no DNS names (subject alternative names)") }
        self.domains = domains
        self.expiresAt = leaf.notValidAfter
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    private static func invalid(_ reason: String) -> ControllerError {
        ControllerError(
            status: .unprocessableContent, code: "invalid_certificate",
            message: "That certificate cannot be used: \(reason). Pass the certificate chain and its key as PEM files: 'paas certs:add server.crt server.key'.")
    }
}
