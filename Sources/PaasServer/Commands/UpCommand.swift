import ArgumentParser
import Logging

/// `paasd up`: the whole platform on one host, on embedded defaults.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Run the whole platform on this host (embedded PostgreSQL unless --database-url).")

    @OptionGroup var options: PlatformOptions

    func run() async throws {
        let configuration = try options.makeConfiguration()
        try await Platform(configuration: configuration, logger: DaemonLogging.logger()).run { ready in
            DaemonLogging.announce(ready, configuration: configuration)
        }
    }
}

/// `paasd controller`: the controller API alone, for multi-host installations.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Run the controller API (and git server) only.")

    @OptionGroup var options: PlatformOptions

    func run() async throws {
        let configuration = try options.makeConfiguration()
        try await Platform(configuration: configuration, logger: DaemonLogging.logger()).run { ready in
            DaemonLogging.announce(ready, configuration: configuration)
        }
    }
}
