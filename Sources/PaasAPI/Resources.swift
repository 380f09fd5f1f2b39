#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore

/// An app as the API shows it.
public struct AppResource: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var createdAt: Date
    /// Where the router serves the app: `http://<name>.<domain>:<port>`.
    public var webURL: String
    /// The smart HTTP git URL to push to.
    public var gitURL: String
    /// The version of the release that is live, if any.
    public var currentRelease: Int?
    /// How its processes are run (`ps:set`, `ps:stop`).
    public var settings: AppSettings
    /// The stack its next build uses (`stack:set`); each release runs on its own slug's stack.
    public var stack: String

    public init(
        id: String, name: String, createdAt: Date, webURL: String, gitURL: String, currentRelease: Int?,
        settings: AppSettings = AppSettings(), stack: String = Stack.defaultName
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.webURL = webURL
        self.gitURL = gitURL
        self.currentRelease = currentRelease
        self.settings = settings
        self.stack = stack
    }

    enum CodingKeys: String, CodingKey {
        case id, name, settings, stack
        case createdAt = "created_at"
        case webURL = "web_url"
        case gitURL = "git_url"
        case currentRelease = "current_release"
    }
}

/// Body of `POST /v1/apps`.
public struct AppCreateRequest: Codable, Sendable, Equatable {
    /// The app's name; the server picks a random readable one when nil.
    public var name: String?
    /// The stack its builds use; nil takes the platform's default stack.
    public var stack: String?

    public init(name: String? = nil, stack: String? = nil) {
        self.name = name
        self.stack = stack
    }
}

/// An immutable release: a slug plus a config snapshot plus process types.
public struct ReleaseResource: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var description: String
    /// The slug's id (its sha256), nil before the first build.
    public var slugID: String?
    public var processTypes: [String: String]
    public var config: [String: String]
    /// `pending`, `succeeded` or `failed`.
    public var status: String
    /// Why the release failed, when it did.
    public var statusReason: String?
    public var createdBy: String
    public var createdAt: Date
    /// Whether this is the release the app serves now.
    public var current: Bool
    /// The stack it runs on: its slug's (nil before the first build).
    public var stack: String?

    public init(
        id: String, version: Int, description: String, slugID: String?, processTypes: [String: String],
        config: [String: String], status: String, statusReason: String?, createdBy: String, createdAt: Date,
        current: Bool, stack: String? = nil
    ) {
        self.stack = stack
        self.id = id
        self.version = version
        self.description = description
        self.slugID = slugID
        self.processTypes = processTypes
        self.config = config
        self.status = status
        self.statusReason = statusReason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case id, version, description, config, status, current, stack
        case slugID = "slug_id"
        case processTypes = "process_types"
        case statusReason = "status_reason"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }
}

/// Body of `POST /v1/apps/{app}/rollback`.
public struct RollbackRequest: Codable, Sendable, Equatable {
    /// The version to roll back to; nil means the release before the current one.
    public var version: Int?

    public init(version: Int? = nil) { self.version = version }
}

/// One process type's scale.
public struct FormationResource: Codable, Sendable, Equatable {
    public var type: String
    public var quantity: Int
    /// The command from the current release, when it defines this type.
    public var command: String?
    /// Memory limit of each process in MiB, when set with `ps:resize` (else the platform's default).
    public var memoryMiB: Int?

    public init(type: String, quantity: Int, command: String?, memoryMiB: Int? = nil) {
        self.type = type
        self.quantity = quantity
        self.command = command
        self.memoryMiB = memoryMiB
    }

    enum CodingKeys: String, CodingKey {
        case type, quantity, command
        case memoryMiB = "memory_mib"
    }
}

/// A custom domain routed to an app.
public struct DomainResource: Codable, Sendable, Equatable {
    public var hostname: String
    public var createdAt: Date

    public init(hostname: String, createdAt: Date) {
        self.hostname = hostname
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case hostname
        case createdAt = "created_at"
    }
}

/// Body of `POST /v1/apps/{app}/domains`.
public struct DomainCreateRequest: Codable, Sendable, Equatable {
    public var hostname: String

    public init(hostname: String) { self.hostname = hostname }
}

/// One entry of an app's audit trail.
public struct EventResource: Codable, Sendable, Equatable {
    public var id: Int
    /// Who did it: the name of the token used.
    public var actor: String
    /// A stable action name such as `config.set` or `app.create`.
    public var action: String
    public var description: String
    public var createdAt: Date

    public init(id: Int, actor: String, action: String, description: String, createdAt: Date) {
        self.id = id
        self.actor = actor
        self.action = action
        self.description = description
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, actor, action, description
        case createdAt = "created_at"
    }
}

/// The caller, as `GET /v1/account` tells it.
public struct AccountResource: Codable, Sendable, Equatable {
    /// The name of the token's owner.
    public var name: String

    public init(name: String) { self.name = name }
}

/// Answer of `GET /healthz`.
public struct HealthResource: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) { self.status = status }
}

/// An app's TLS certificate (never with its key).
public struct CertificateResource: Codable, Sendable, Equatable {
    /// `cert-1a2b3c4d`: how `certs:remove` names it.
    public var name: String
    /// The names it covers (its subject alternative names).
    public var domains: [String]
    public var expiresAt: Date
    public var createdAt: Date

    public init(name: String, domains: [String], expiresAt: Date, createdAt: Date) {
        self.name = name
        self.domains = domains
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, domains
        case expiresAt = "expires_at"
        case createdAt = "created_at"
    }
}
