#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An add-on as the API shows it: never its URL or credentials, only the names of the config
/// vars that hold them.
public struct AddonResource: Codable, Sendable, Equatable {
    /// Unique on the platform, e.g. `mysql-shapely-12345`.
    public var name: String
    /// `mysql`, `postgresql` or `redis`.
    public var kind: String
    /// The app it is attached to.
    public var app: String
    /// The config vars it set on the app, e.g. `["DATABASE_URL", "MYSQL_URL"]`.
    public var configVars: [String]
    public var createdAt: Date
    /// The release that attached it (in the answer to an attach only).
    public var release: Int?

    public init(name: String, kind: String, app: String, configVars: [String], createdAt: Date, release: Int? = nil) {
        self.name = name
        self.kind = kind
        self.app = app
        self.configVars = configVars
        self.createdAt = createdAt
        self.release = release
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, app, release
        case configVars = "config_vars"
        case createdAt = "created_at"
    }
}

/// Body of `POST /v1/apps/{app}/addons`.
public struct AddonCreateRequest: Codable, Sendable, Equatable {
    /// `mysql`, `postgresql` or `redis`.
    public var kind: String
    /// The add-on's name; the server picks one like `mysql-shapely-12345` when nil.
    public var name: String?

    public init(kind: String, name: String? = nil) {
        self.kind = kind
        self.name = name
    }
}

/// A backup of an add-on's data.
public struct AddonBackupResource: Codable, Sendable, Equatable {
    /// Counts up per add-on: 1, 2, … (`paas addons:restore NAME NUMBER`).
    public var number: Int
    /// The add-on it belongs to.
    public var addon: String
    /// The dump's size in bytes.
    public var size: Int64
    public var createdAt: Date

    public init(number: Int, addon: String, size: Int64, createdAt: Date) {
        self.number = number
        self.addon = addon
        self.size = size
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case number, addon, size
        case createdAt = "created_at"
    }
}
