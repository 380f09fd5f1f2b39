import ArgumentParser

/// `paasd`: the platform daemon. `paasd up` runs everything on one host.
public struct PaasdCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "paasd",
        abstract: "The paas platform daemon.",
        subcommands: [UpCommand.self, ControllerCommand.self, RunnerCommand.self, RouterCommand.self])

    public init() {}
}
