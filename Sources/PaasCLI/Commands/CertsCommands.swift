import ArgumentParser
import Foundation
import PaasAPI
import PaasClient

/// `paas certs`: an app's TLS certificates.
struct CertsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certs", abstract: "List an app's TLS certificates.")

    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let name = try app.resolve()
        let certificates = try await global.client().certificates(app: name)
        if output.json { return try Output.json(certificates) }
        guard !certificates.isEmpty else {
            return Output.info("\(name) has no certificates; HTTPS uses the router's own. Add one with 'paas certs:add CRT KEY'.")
        }
        Table(
            header: ["Name", "Domains", "Expires"],
            rows: certificates.map { [$0.name, $0.domains.joined(separator: ", "), Output.date($0.expiresAt)] }
        ).print()
    }
}

/// `paas certs:add CRT KEY`: a certificate chain and its key, served by SNI for its names.
struct CertsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs:add", abstract: "Add a TLS certificate (PEM chain and key) to an app.")

    @Argument(help: "The certificate chain, PEM.")
    var certificate: String
    @Argument(help: "Its private key, PEM.")
    var key: String
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let name = try app.resolve()
        let request = CertificateCreateRequest(certificatePEM: try Self.read(certificate), privateKeyPEM: try Self.read(key))
        let client = try global.client()
        let added = try await Output.step("Adding a certificate to \(name)", done: { "done, \($0.name) for \($0.domains.joined(separator: ", "))" }) {
            try await client.addCertificate(app: name, request)
        }
        Output.data(added.name)
    }

    static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.usage("Cannot read '\(path)'.", suggestion: "paas certs:add server.crt server.key")
        }
        return text
    }
}

/// `paas certs:remove NAME`.
struct CertsRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certs:remove", abstract: "Remove a TLS certificate from an app.")

    @Argument(help: "The certificate's name, as 'paas certs' lists it.")
    var certificate: String
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        try await Output.step("Removing \(certificate) from \(name)") { try await client.removeCertificate(app: name, name: certificate) }
    }
}

/// `paas domains:redirect-https on|off`: whether the router answers plain HTTP with a 301 to HTTPS.
struct DomainsRedirectHTTPS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domains:redirect-https", abstract: "Redirect an app's plain HTTP to HTTPS (on), or serve both (off).")

    @Argument(help: "on or off.")
    var state: String
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        guard ["on", "off"].contains(state) else { throw ValidationError("Say 'on' or 'off'.") }
    }

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        _ = try await Output.step("\(state == "on" ? "Redirecting" : "No longer redirecting") HTTP to HTTPS for \(name)") {
            try await client.updateApp(name, AppUpdateRequest(redirectHTTPS: state == "on"))
        }
    }
}
