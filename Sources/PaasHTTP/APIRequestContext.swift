#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import PaasAPI

/// The request context of the platform's JSON APIs: the API's own coders (ISO 8601 dates) and
/// bodies of at most 1 MiB (larger ones get 413).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 1 << 20 }
    public var requestDecoder: JSONDecoder { APICoding.makeDecoder() }
    public var responseEncoder: JSONEncoder { APICoding.makeEncoder() }
}
