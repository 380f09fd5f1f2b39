#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import PaasAPI

/// Per-request state of the controller API: who is calling (set by `TokenAuthMiddleware`).
public struct ControllerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The name of the authenticated token's owner; nil before authentication.
    public var actor: String?
    /// The authenticated token; nil before authentication.
    public var token: TokenHolder?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.actor = nil
        self.token = nil
    }

    /// JSON bodies of the API are small; larger ones get 413.
    public var maxUploadSize: Int { 1 << 20 }
    public var requestDecoder: JSONDecoder { APICoding.makeDecoder() }
    public var responseEncoder: JSONEncoder { APICoding.makeEncoder() }

    /// The caller's name; only routes behind `TokenAuthMiddleware` may ask.
    var requireActor: String {
        get throws {
            guard let actor else { throw ControllerError.unauthorized }
            return actor
        }
    }
}
