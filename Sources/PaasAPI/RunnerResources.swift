#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Body of a runner's `POST /v1/processes`: one process of a release to start on that host.
public struct ProcessStartRequest: Codable, Sendable, Equatable {
    public var app: String
    /// The release's version.
    public var release: Int
    /// The release's slug (its sha256), fetched from the controller's blob store.
    public var slugID: String
    /// The process type (`web`), or `run` for one-off commands.
    public var type: String
    /// The process's number within its type, from 1.
    public var index: Int
    /// A literal command (one-off runs); nil runs the process type.
    public var command: [String]?
    /// The release's process types, for slug-runner.
    public var processTypes: [String: String]
    /// The release's config vars; the runner adds `PORT`, `DYNO`, `PS`, `PAAS_APP`, `PAAS_RELEASE`.
    public var env: [String: String]
    /// Memory limit in MiB; nil for the runner's default (512).
    public var memoryMiB: Int?
    /// The stack whose run root the process runs on: its slug's. nil takes the runner's default
    /// stack; a stack the runner lacks is refused (`unknown_stack`).
    public var stack: String?
    /// The other apps whose processes this one may open connections to (`paas network:allow`);
    /// nil or empty: only its own app's.
    public var reaches: [String]?

    public init(
        app: String, release: Int, slugID: String, type: String, index: Int, command: [String]? = nil,
        processTypes: [String: String], env: [String: String], memoryMiB: Int? = nil, stack: String? = nil,
        reaches: [String]? = nil
    ) {
        self.stack = stack
        self.reaches = reaches
        self.app = app
        self.release = release
        self.slugID = slugID
        self.type = type
        self.index = index
        self.command = command
        self.processTypes = processTypes
        self.env = env
        self.memoryMiB = memoryMiB
    }

    /// `web.1`.
    public var dyno: String { "\(type).\(index)" }
    /// The process's id on its runner: `<app>.v<release>.<type>.<index>`, so that a deploy can run
    /// the old and the new release's `web.1` side by side.
    public var processID: String { "\(app).v\(release).\(type).\(index)" }

    enum CodingKeys: String, CodingKey {
        case app, release, type, index, command, env, stack, reaches
        case slugID = "slug_id"
        case processTypes = "process_types"
        case memoryMiB = "memory_mib"
    }
}

/// Which other apps an app's processes may open connections to: the body of a runner's
/// `PUT /v1/apps/{app}/network` and the controller's `GET /v1/apps/{app}/network`.
public struct AppNetworkResource: Codable, Sendable, Equatable {
    public var app: String
    /// The apps it may reach besides itself, sorted.
    public var reaches: [String]

    public init(app: String, reaches: [String]) {
        self.app = app
        self.reaches = reaches
    }
}

/// A process on a runner, as its API shows it.
public struct ProcessResource: Codable, Sendable, Equatable {
    public var id: String
    public var app: String
    public var release: Int
    public var type: String
    public var index: Int
    /// `starting`, `up`, `crashed` or `stopped`.
    public var state: String
    /// Since when the process has been in `state`.
    public var since: Date
    /// How often it was restarted after ending on its own.
    public var restarts: Int
    /// How its last run ended (`exited with 1`, `out of memory`), if it ended before.
    public var lastExit: String?
    /// Its address on the platform network, while it runs.
    public var ip: String?
    /// Its memory limit in MiB.
    public var memoryMiB: Int?

    public init(
        id: String, app: String, release: Int, type: String, index: Int, state: String, since: Date, restarts: Int,
        lastExit: String?, ip: String?, memoryMiB: Int? = nil
    ) {
        self.id = id
        self.app = app
        self.release = release
        self.type = type
        self.index = index
        self.state = state
        self.since = since
        self.restarts = restarts
        self.lastExit = lastExit
        self.ip = ip
        self.memoryMiB = memoryMiB
    }

    enum CodingKeys: String, CodingKey {
        case id, app, release, type, index, state, since, restarts, ip
        case lastExit = "last_exit"
        case memoryMiB = "memory_mib"
    }
}

/// Body of a runner's `POST /v1/apps/{app}/logs`: a platform event for the app's log
/// (`paas[deploy]: v5 deployed`).
public struct LogEventRequest: Codable, Sendable, Equatable {
    /// The part of the platform that speaks: `deploy`, `router`, `scale`.
    public var dyno: String
    public var text: String

    public init(dyno: String, text: String) {
        self.dyno = dyno
        self.text = text
    }
}

/// Body of `POST /v1/apps/{app}/processes/restart`: which processes to restart.
public struct ProcessRestartRequest: Codable, Sendable, Equatable {
    /// Only processes of this type; nil restarts them all.
    public var type: String?

    public init(type: String? = nil) { self.type = type }
}

/// Body of `POST /v1/apps/{app}/runs`: a one-off command (`paas run`).
public struct RunRequest: Codable, Sendable, Equatable {
    /// The command: one shell command line (`["rake db:migrate"]`) or a program and its arguments.
    public var command: [String]
    /// Extra environment variables for this run only.
    public var env: [String: String]?
    /// Run in the background (`--detach`): the answer is the process, its output goes to the log.
    public var detach: Bool?

    public init(command: [String], env: [String: String]? = nil, detach: Bool? = nil) {
        self.command = command
        self.env = env
        self.detach = detach
    }
}

/// How a one-off process ended: the data of the `exit` event that ends a run's stream.
public struct RunExit: Codable, Sendable, Equatable {
    /// The exit status a shell would report (128 + N for signal N).
    public var status: Int32
    /// In words: `exited with status 3`, `out of memory`.
    public var reason: String

    public init(status: Int32, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// Body of the controller's `PUT /v1/hosts/{name}`: a runner host registering itself.
public struct HostRegistrationRequest: Codable, Sendable, Equatable {
    /// Where the controller reaches the host's runner API.
    public var runnerURL: String
    /// The token the runner API accepts.
    public var hostToken: String

    public init(runnerURL: String, hostToken: String) {
        self.runnerURL = runnerURL
        self.hostToken = hostToken
    }

    enum CodingKeys: String, CodingKey {
        case runnerURL = "runner_url"
        case hostToken = "host_token"
    }
}

/// A runner host as the controller's `GET /v1/hosts` shows it (never with its token).
public struct HostResource: Codable, Sendable, Equatable {
    public var name: String
    public var runnerURL: String
    public var registeredAt: Date

    public init(name: String, runnerURL: String, registeredAt: Date) {
        self.name = name
        self.runnerURL = runnerURL
        self.registeredAt = registeredAt
    }

    enum CodingKeys: String, CodingKey {
        case name
        case runnerURL = "runner_url"
        case registeredAt = "registered_at"
    }
}
