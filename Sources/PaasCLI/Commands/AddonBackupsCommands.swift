import ArgumentParser
import PaasAPI
import PaasClient

/// `paas addons:backup NAME`: dumps an add-on's data into the platform's blob store.
struct AddonsBackup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addons:backup", abstract: "Back up an add-on's data.")

    @Argument(help: "The add-on's name.")
    var name: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let appName = try app.resolve()
        let backup = try await Output.step("Backing up \(name)", done: { "backup \($0.number)" }) {
            try await client.backupAddon(app: appName, name: name)
        }
        if output.json { return try Output.json(backup) }
        Output.data("\(backup.number)")
    }
}

/// `paas addons:backups NAME`: an add-on's backups, newest first.
struct AddonsBackups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addons:backups", abstract: "List an add-on's backups.")

    @Argument(help: "The add-on's name.")
    var name: String
    @OptionGroup var app: AppOptions
    @OptionGroup var output: JSONOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let backups = try await client.addonBackups(app: try app.resolve(), name: name)
        if output.json { return try Output.json(backups) }
        guard !backups.isEmpty else { return Output.info("\(name) has no backups. Take one with 'paas addons:backup \(name)'.") }
        Table(
            header: ["Backup", "Size", "Created"],
            rows: backups.map { ["\($0.number)", "\($0.size)", Output.date($0.createdAt)] }
        ).print()
    }
}

/// `paas addons:restore NAME BACKUP`: replaces an add-on's data with a backup's.
struct AddonsRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addons:restore", abstract: "Replace an add-on's data with a backup's.")

    @Argument(help: "The add-on's name.")
    var name: String
    @Argument(help: ArgumentHelp("The backup's number, as 'paas addons:backups' lists it.", valueName: "backup-id"))
    var backup: Int
    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        let client = try global.client()
        let appName = try app.resolve()
        try await Output.step("Restoring \(name) from backup \(backup)") {
            _ = try await client.restoreAddon(app: appName, name: name, backup: backup)
        }
    }
}
