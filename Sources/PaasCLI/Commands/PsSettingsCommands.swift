import ArgumentParser
import PaasAPI
import PaasClient
import PaasCore

/// `paas ps:stop`: stops every process of the app until `paas ps:start` (Dokku's shape).
struct PsStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:stop", abstract: "Stop all of an app's processes until 'paas ps:start'.")

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        try await setStopped(true, app: app, global: global)
    }
}

/// `paas ps:start`: runs the app's formation again after `paas ps:stop`.
struct PsStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:start", abstract: "Start an app's processes again after 'paas ps:stop'.")

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        try await setStopped(false, app: app, global: global)
    }
}

/// `ps:stop` and `ps:start`: sets the app's stopped flag; the controller stops or starts its processes.
private func setStopped(_ stopped: Bool, app: AppOptions, global: GlobalOptions) async throws {
    let name = try app.resolve()
    let client = try global.client()
    _ = try await Output.step("\(stopped ? "Stopping" : "Starting") \(name)") {
        try await client.updateApp(name, AppUpdateRequest(stopped: stopped))
    }
}

/// `paas ps:set KEY VALUE`: how the app's processes are run (Dokku's `ps:set`).
struct PsSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:set",
        abstract: "Change how an app's processes run: 'boot-timeout SECONDS' or 'stop-timeout SECONDS'.",
        discussion: """
            boot-timeout: how long a new web process may take to listen on $PORT before the deploy fails (default 60).
            stop-timeout: how long a process gets after SIGTERM before SIGKILL (default 30).
            """)

    @Argument(help: "boot-timeout or stop-timeout.")
    var key: String
    @Argument(help: "Seconds.")
    var value: Int

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        guard ["boot-timeout", "stop-timeout"].contains(key) else {
            throw ValidationError("Unknown setting '\(key)'. Settings: boot-timeout, stop-timeout.")
        }
    }

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        let update =
            key == "boot-timeout" ? AppUpdateRequest(bootTimeoutSeconds: value) : AppUpdateRequest(stopTimeoutSeconds: value)
        _ = try await Output.step("Setting \(key) of \(name) to \(value) s") { try await client.updateApp(name, update) }
    }
}

/// `paas ps:resize TYPE --memory SIZE`: the memory limit of a process type; its processes restart.
struct PsResize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps:resize", abstract: "Set the memory limit of a process type, e.g. 'paas ps:resize web --memory 1G'.")

    @Argument(help: "The process type (web, worker).")
    var type: String
    @Option(help: "Memory per process: 256M, 1G, 1.5G (from 64M to 64G).")
    var memory: String

    @OptionGroup var app: AppOptions
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func validate() throws {
        guard ProcessMemory.mebibytes(from: memory) != nil else {
            throw ValidationError("'\(memory)' is not a size. Say e.g. '--memory 512M' or '--memory 1G'.")
        }
    }

    func run() async throws {
        let name = try app.resolve()
        let client = try global.client()
        let mebibytes = ProcessMemory.mebibytes(from: memory) ?? 0
        _ = try await Output.step("Resizing \(type) of \(name) to \(mebibytes) MiB and restarting it") {
            try await client.resize(app: name, type: type, memoryMiB: mebibytes)
        }
    }
}
