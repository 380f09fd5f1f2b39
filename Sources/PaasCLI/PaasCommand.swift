// The root `paas` command, and the one place where errors become messages and exit statuses:
// 0 ok, 1 error, 2 usage.
import ArgumentParser
import Foundation
import PaasClient

/// `paas`: the command line for the platform. Subcommands are Heroku's `topic:verb` names.
public struct PaasCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "paas",
        abstract: "Deploy and run apps on a paas platform.",
        discussion: """
            Log in once with 'paas login --api URL --token TOKEN'. App commands act on the app named \
            by -a/--app, else $PAAS_APP, else the 'paas' git remote of the current directory.
            """,
        groupedSubcommands: [
            CommandGroup(name: "Account", subcommands: [Login.self]),
            CommandGroup(name: "Apps", subcommands: [AppsList.self, AppsCreate.self, AppsInfo.self, AppsDestroy.self]),
            CommandGroup(name: "Config vars", subcommands: [ConfigList.self, ConfigGet.self, ConfigSet.self, ConfigUnset.self]),
            CommandGroup(name: "Releases", subcommands: [ReleasesList.self, ReleasesInfo.self, Rollback.self]),
            CommandGroup(name: "Stacks", subcommands: [StackList.self, StackSet.self]),
            CommandGroup(name: "Builds", subcommands: [BuildsList.self, BuildsOutput.self]),
            CommandGroup(name: "Git", subcommands: [GitRemoteCommand.self, GitCredentialCommand.self]),
            CommandGroup(name: "Processes", subcommands: [
                    PsList.self, PsScale.self, PsRestart.self, PsStop.self, PsStart.self, PsResize.self, PsSet.self,
                    LogsCommand.self, RunCommand.self,
                ]),
            CommandGroup(
                name: "Domains and certificates",
                subcommands: [
                    DomainsList.self, DomainsAdd.self, DomainsRemove.self, DomainsRedirectHTTPS.self, CertsList.self, CertsAdd.self,
                    CertsRemove.self,
                ]),
            CommandGroup(name: "Network", subcommands: [NetworkList.self, NetworkAllow.self, NetworkDeny.self]),
            CommandGroup(name: "Add-ons", subcommands: [
                    AddonsList.self, AddonsAdd.self, AddonsInfo.self, AddonsRemove.self, AddonsBackup.self, AddonsBackups.self,
                    AddonsRestore.self,
                ]),
            CommandGroup(name: "Audit", subcommands: [EventsList.self]),
        ])

    public init() {}

    /// Parses `arguments` (default: the process's), runs the command and exits with its status.
    /// Use this rather than `main()` so that usage errors exit 2 and errors print as `error: …`.
    public static func launch(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints `error` the way the CLI reports it and returns the exit status to use.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as CLIError:
            printError(error.message, suggestion: error.suggestion)
            return error.exitStatus
        case let error as ClientError:
            printError(error.description, suggestion: nil)
            return 1
        case let error as ExitCode:
            return error.rawValue
        default:
            break
        }
        // ArgumentParser's own errors: help and version requests, parse and validation errors.
        let status = exitCode(for: error)
        let text = fullMessage(for: error)
        if status == .success {
            if !text.isEmpty { print(text) }
            return 0
        }
        if status == .validationFailure {
            Output.writeToStandardError(lowercasingErrorPrefix(text) + "\n")
            return 2
        }
        if !text.isEmpty { Output.writeToStandardError(lowercasingErrorPrefix(text) + "\n") }
        return status.rawValue
    }

    private static func printError(_ message: String, suggestion: String?) {
        let prefix = Output.colorOnStandardError ? "\u{1B}[31merror:\u{1B}[0m" : "error:"
        var text = "\(prefix) \(message)\n"
        if let suggestion { text += "\(suggestion)\n" }
        Output.writeToStandardError(text)
    }

    private static func lowercasingErrorPrefix(_ text: String) -> String {
        text.hasPrefix("Error: ") ? "error: " + text.dropFirst("Error: ".count) : text
    }
}
