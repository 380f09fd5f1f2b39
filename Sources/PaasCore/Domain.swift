#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An app: a name, its releases, formation, domains.
public struct App: Sendable, Equatable, Identifiable {
    /// Typed identifier of an app.
    public struct ID: Hashable, Sendable, CustomStringConvertible {
        public let uuid: UUID
        public init(_ uuid: UUID) { self.uuid = uuid }
        public var description: String { uuid.uuidString.lowercased() }
    }

    public var id: ID
    public var name: AppName
    public var createdAt: Date
    /// Version of the release the app serves now, if any.
    public var currentRelease: Int?
    /// How its processes are run.
    public var settings: AppSettings
    /// The stack its next build uses (`stack:set`); a release runs on its slug's stack.
    public var stack: String

    public init(
        id: ID, name: AppName, createdAt: Date, currentRelease: Int?, settings: AppSettings = AppSettings(),
        stack: String = Stack.defaultName
    ) {
        self.stack = stack
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.currentRelease = currentRelease
        self.settings = settings
    }
}

/// An immutable release: slug + config snapshot + process types. Versions count up per app.
public struct Release: Sendable, Equatable {
    /// Whether a release is live, on its way, or refused.
    public enum Status: String, Sendable, Codable {
        case pending, succeeded, failed
    }

    public var id: UUID
    public var appID: App.ID
    public var version: Int
    public var description: String
    public var slugID: String?
    public var processTypes: [String: String]
    public var config: [String: String]
    public var status: Status
    public var statusReason: String?
    public var createdBy: String
    public var createdAt: Date
    /// The stack its slug was built on, and so runs on; nil without a slug.
    public var stack: String?

    public init(
        id: UUID, appID: App.ID, version: Int, description: String, slugID: String?,
        processTypes: [String: String], config: [String: String], status: Status, statusReason: String?,
        createdBy: String, createdAt: Date, stack: String? = nil
    ) {
        self.stack = stack
        self.id = id
        self.appID = appID
        self.version = version
        self.description = description
        self.slugID = slugID
        self.processTypes = processTypes
        self.config = config
        self.status = status
        self.statusReason = statusReason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// A custom domain routed to an app.
public struct Domain: Sendable, Equatable {
    public var hostname: String
    public var appID: App.ID
    public var createdAt: Date

    public init(hostname: String, appID: App.ID, createdAt: Date) {
        self.hostname = hostname
        self.appID = appID
        self.createdAt = createdAt
    }
}

/// One entry of the audit trail: who did what, when.
public struct AuditEvent: Sendable, Equatable {
    public var id: Int
    public var appID: App.ID?
    public var actor: String
    public var action: String
    public var description: String
    public var createdAt: Date

    public init(id: Int, appID: App.ID?, actor: String, action: String, description: String, createdAt: Date) {
        self.id = id
        self.appID = appID
        self.actor = actor
        self.action = action
        self.description = description
        self.createdAt = createdAt
    }
}

/// A build of one pushed commit: its output is kept whether it succeeded or not.
public struct Build: Sendable, Equatable {
    /// Where a build stands.
    public enum Status: String, Sendable, Codable {
        case pending, succeeded, failed
    }

    public var id: UUID
    public var appID: App.ID
    /// Counts up per app: build 1, 2, …
    public var number: Int
    public var commit: String
    public var status: Status
    public var failureReason: String?
    public var output: String
    public var buildpacks: [String]
    public var slugID: String?
    public var releaseVersion: Int?
    public var createdBy: String
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: UUID, appID: App.ID, number: Int, commit: String, status: Status, failureReason: String?, output: String,
        buildpacks: [String], slugID: String?, releaseVersion: Int?, createdBy: String, createdAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.appID = appID
        self.number = number
        self.commit = commit
        self.status = status
        self.failureReason = failureReason
        self.output = output
        self.buildpacks = buildpacks
        self.slugID = slugID
        self.releaseVersion = releaseVersion
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
