#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An add-on attached to an app: a database or instance made by a provider, known
/// to the app only through its config vars. The record holds the names of those vars, never their
/// values, which carry credentials.
public struct Addon: Sendable, Equatable {
    /// A backup of an add-on's data, kept as a blob.
    public struct Backup: Sendable, Equatable {
        /// Counts up per add-on: backup 1, 2, …
        public var number: Int
        /// The add-on it belongs to.
        public var addonName: String
        /// The blob holding the dump.
        public var blobID: String
        /// The dump's size in bytes.
        public var size: Int64
        public var createdAt: Date

        public init(number: Int, addonName: String, blobID: String, size: Int64, createdAt: Date) {
            self.number = number
            self.addonName = addonName
            self.blobID = blobID
            self.size = size
            self.createdAt = createdAt
        }
    }

    /// Unique on the platform, e.g. `mysql-shapely-12345`.
    public var name: String
    public var appID: App.ID
    /// The provider's kind: `mysql`, `postgresql`, `redis`.
    public var kind: String
    /// The config vars attaching set, e.g. `["DATABASE_URL", "MYSQL_URL"]`.
    public var configVarNames: [String]
    public var createdAt: Date

    public init(name: String, appID: App.ID, kind: String, configVarNames: [String], createdAt: Date) {
        self.name = name
        self.appID = appID
        self.kind = kind
        self.configVarNames = configVarNames
        self.createdAt = createdAt
    }
}
