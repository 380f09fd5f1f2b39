import Hummingbird
import PaasAddons
import PaasAPI
import PaasBlobs
import PaasCore
import PaasGit
import PaasHTTP

/// The controller's HTTP API (`/v1`): routes over `ControllerStore`, plus the git
/// server (`/<app>.git`) and the blob store's endpoint (`/v1/blobs`) when given.
public struct Controller: Sendable {
    let store: ControllerStore
    let configuration: ControllerConfiguration
    let git: GitReceiver?
    let blobs: (any BlobStore)?
    let deployer: Deployer?
    let routes: RouteTablePublisher?
    /// The add-on providers; without them there are no add-on routes.
    let addons: AddonProviders?

    public init(
        store: ControllerStore, configuration: ControllerConfiguration, git: GitReceiver? = nil,
        blobs: (any BlobStore)? = nil, deployer: Deployer? = nil, routes: RouteTablePublisher? = nil,
        addons: AddonProviders? = nil
    ) {
        self.store = store
        self.configuration = configuration
        self.git = git
        self.blobs = blobs
        self.deployer = deployer
        self.routes = routes
        self.addons = addons
    }

    /// Converges the app after a change of config, formation or release. A release that does not
    /// boot is marked failed (see `paas releases`) and the processes before it keep running, so
    /// the change itself still answers success.
    func restart(_ app: App) async {
        do {
            try await deployer?.converge(app)
        } catch {
            deployer?.logger.info("deploy after a change failed", metadata: ["app": "\(app.name)", "error": "\(error)"])
        }
    }

    /// A router serving `/healthz` without a token and everything under `/v1` with one.
    public func makeRouter() -> Router<ControllerRequestContext> {
        let router = Router(context: ControllerRequestContext.self)
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.get("healthz") { _, _ in HealthResource(status: "ok") }
        let v1 = router.group("v1").add(middleware: TokenAuthMiddleware(store: store))
        v1.get("account") { _, context in AccountResource(name: try context.requireActor) }
        addAppRoutes(to: v1)
        addConfigRoutes(to: v1)
        addReleaseRoutes(to: v1)
        addStackRoutes(to: v1)
        addFormationRoutes(to: v1)
        addDomainRoutes(to: v1)
        addNetworkRoutes(to: v1)
        addEventRoutes(to: v1)
        addBuildRoutes(to: v1)
        addProcessRoutes(to: v1)
        addHostRoutes(to: v1)
        addRoutingRoutes(to: v1)
        if let blobs { addBlobRoutes(to: v1, store: blobs) }
        if let attachments = addonAttachments { addAddonRoutes(to: v1, attachments: attachments) }
        git?.addRoutes(to: router)
        return router
    }

    /// Attaching and detaching add-ons, when the controller has providers.
    var addonAttachments: AddonAttachments? {
        addons.map { AddonAttachments(store: store, providers: $0, blobs: blobs, logger: store.logger) }
    }

    /// The app named by the `:app` path parameter.
    func app(from context: ControllerRequestContext) async throws -> App {
        try await store.requireApp(named: context.parameters.get("app") ?? "")
    }

    /// Decodes a JSON body, turning decoding errors into a clear 400.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: ControllerRequestContext) async throws -> T {
        try await request.decode(as: type, context: context)
    }

    /// Decodes a JSON body that may be absent.
    func decodeOptional<T: Decodable>(_ type: T.Type, from request: Request, context: ControllerRequestContext) async throws -> T? {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try await decode(type, from: request, context: context)
    }
}
