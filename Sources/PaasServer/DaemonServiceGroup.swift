import Logging
import ServiceLifecycle
import UnixSignals

extension ServiceGroup {
    /// How long a daemon's graceful stop waits for open responses that end on their own (a
    /// build's output, an attached one-off process) before it cancels them. Endless ones end
    /// at once: log streams through `endingAtGracefulShutdown()`, route watches through
    /// `RouteWatchCloser`.
    static let gracefulStopLimit = Duration.seconds(20)

    /// The service group a paasd daemon runs its services in: stopped gracefully by `signals`,
    /// escalated to cancellation after `gracefulStopLimit`.
    static func daemon(_ services: [any Service], signals: [UnixSignal], logger: Logger) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = gracefulStopLimit
        return ServiceGroup(configuration: configuration)
    }
}
