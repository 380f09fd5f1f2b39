import ArgumentParser
import PaasAddons
import PaasRunner
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options shared by the daemon's commands. Flags win over `PAAS_*` environment variables,
/// which win over the defaults of `PlatformConfiguration`.
struct PlatformOptions: ParsableArguments {
    @Option(help: "Directory for everything the platform stores (env PAAS_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Use this PostgreSQL instead of an embedded cluster (env PAAS_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Address of the API and git server, HOST:PORT (env PAAS_API_LISTEN).")
    var apiListen: String?

    @Option(help: "Public URL of the API when it differs from the listen address (env PAAS_API_URL).")
    var apiURL: String?

    @Option(help: "Apps are served at <app>.<domain> (env PAAS_DOMAIN).")
    var domain: String?

    @Option(help: "The router's HTTP port (env PAAS_HTTP_PORT).")
    var httpPort: Int?

    @Option(help: "The router's HTTPS port, 0 for none (env PAAS_HTTPS_PORT; default 8443).")
    var httpsPort: Int?

    @Option(help: "The router's /healthz and /metrics port on 127.0.0.1, 0 for none (default 5300).")
    var routerAdminPort: Int?

    @Option(help: "Root filesystem of the bookworm stack's builds, as printed by 'stacks/build-stack build' (env PAAS_BUILD_STACK).")
    var buildStack: String?

    @Option(help: "Directory of the built-in buildpacks, the repository's buildpacks/ (env PAAS_BUILDPACKS_DIR).")
    var buildpacks: String?

    @Option(help: "Root filesystem of the bookworm stack's apps, as printed by 'stacks/build-stack run' (env PAAS_RUN_STACK).")
    var runStack: String?

    @Option(
        name: .customLong("stack"),
        help: "A stack, NAME=RUN_ROOT:BUILD_ROOT as printed by stacks/build-stack (repeatable; env PAAS_STACK_ROOTS, space-separated).")
    var stackArguments: [String] = []

    @Option(help: "The stack new apps get (env PAAS_DEFAULT_STACK; default bookworm).")
    var defaultStack: String?

    @Option(help: "The in-container start program, the repository's slug-runner/slug-runner (env PAAS_SLUG_RUNNER).")
    var slugRunner: String?

    @Option(help: "The containers' network, a CIDR like 10.213.0.0/16 (env PAAS_SUBNET).")
    var subnet: String?

    @Option(help: "The containers' bridge, also the name of its nftables table (env PAAS_BRIDGE; default paas0).")
    var bridge: String?

    @Option(help: "Address of the runner's API, HOST:PORT (env PAAS_RUNNER_LISTEN; default 127.0.0.1:5200).")
    var runnerListen: String?

    @Option(help: "An existing MySQL/MariaDB server for add-ons, mysql://USER:PASSWORD@HOST:PORT (env PAAS_MYSQL_ADMIN_URL; default: a managed MariaDB).")
    var mysqlAdminURL: String?

    @Option(help: "An existing PostgreSQL server for add-ons, postgres://USER:PASSWORD@HOST:PORT/postgres (env PAAS_POSTGRES_ADMIN_URL; default: a managed cluster).")
    var postgresAdminURL: String?

    /// The configuration these options describe.
    func makeConfiguration() throws -> PlatformConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var configuration = PlatformConfiguration()
        if let value = dataDir ?? environment["PAAS_DATA_DIR"] { configuration.dataDirectory = value }
        configuration.databaseURL = databaseURL ?? environment["PAAS_DATABASE_URL"]
        if let value = apiListen ?? environment["PAAS_API_LISTEN"] { try configuration.setAPIListen(value) }
        configuration.publicAPIURL = apiURL ?? environment["PAAS_API_URL"]
        if let value = domain ?? environment["PAAS_DOMAIN"] { configuration.domain = value }
        if let value = httpPort ?? environment["PAAS_HTTP_PORT"].flatMap({ Int($0) }) { configuration.httpPort = value }
        if let value = httpsPort ?? environment["PAAS_HTTPS_PORT"].flatMap({ Int($0) }) { configuration.httpsPort = value == 0 ? nil : value }
        if let value = routerAdminPort { configuration.routerAdminPort = value == 0 ? nil : value }
        configuration.buildStackPath = buildStack ?? environment["PAAS_BUILD_STACK"]
        configuration.buildpacksDirectory = buildpacks ?? environment["PAAS_BUILDPACKS_DIR"]
        configuration.runStackPath = runStack ?? environment["PAAS_RUN_STACK"]
        configuration.slugRunnerPath = slugRunner ?? environment["PAAS_SLUG_RUNNER"]
        let stackValues = stackArguments.isEmpty
            ? (environment["PAAS_STACK_ROOTS"] ?? "").split(separator: " ").map(String.init) : stackArguments
        configuration.extraStacks = try stackValues.map(PlatformStack.init(argument:))
        if let value = defaultStack ?? environment["PAAS_DEFAULT_STACK"] { configuration.defaultStack = value }
        try configuration.validateStacks()
        if configuration.runStacks.isEmpty != (configuration.slugRunnerPath == nil) {
            throw PlatformError("--run-stack (or a --stack with a run root) and --slug-runner go together: running apps needs both (scripts/up passes them).")
        }
        if let value = bridge ?? environment["PAAS_BRIDGE"] { try configuration.setBridge(value) }
        if let value = runnerListen ?? environment["PAAS_RUNNER_LISTEN"] { try configuration.setRunnerListen(value) }
        if let value = subnet ?? environment["PAAS_SUBNET"] {
            do {
                configuration.network.subnet = try IPv4Subnet(cidr: value)
            } catch {
                throw PlatformError("--subnet takes a CIDR like 10.213.0.0/16; got '\(value)'.")
            }
        }
        configuration.mysqlAdminURL = try Self.adminURL(mysqlAdminURL ?? environment["PAAS_MYSQL_ADMIN_URL"], flag: "--mysql-admin-url")
        configuration.postgresAdminURL = try Self.adminURL(
            postgresAdminURL ?? environment["PAAS_POSTGRES_ADMIN_URL"], flag: "--postgres-admin-url")
        if configuration.buildStacks.isEmpty != (configuration.buildpacksDirectory == nil) {
            throw PlatformError("--build-stack (or a --stack with a build root) and --buildpacks go together: builds need both (scripts/up passes them).")
        }
        return configuration
    }

    /// Parses an add-on server's admin URL, naming the flag when it does not parse (without
    /// echoing the URL, which holds a password).
    private static func adminURL(_ text: String?, flag: String) throws -> AdminURL? {
        guard let text else { return nil }
        guard let url = AdminURL(text) else {
            throw PlatformError("\(flag) takes SCHEME://USER:PASSWORD@HOST[:PORT][/DATABASE]; the value given does not parse.")
        }
        return url
    }
}
