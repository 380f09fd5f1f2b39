import Logging
import PaasAPI
import PaasClient
import PaasController
import PaasRouter
import ServiceLifecycle
import Synchronization

/// The router of this host as a lifecycle service: it serves what the controller's route table
/// says, following its watch over HTTP (as a router on another host would), and sends its
/// per-request lines to the apps' logs in batches.
final class RouterService: Service, Sendable {
    let router: Router
    private let controller: @Sendable () async throws -> ControllerClient
    private let pending = LogBuffer()
    private let logger: Logger


    /// `controller` gives a client of the controller once its API answers.
    init(configuration: RouterConfiguration, controller: @escaping @Sendable () async throws -> ControllerClient, logger: Logger) throws {
        self.controller = controller
        self.logger = logger
        self.router = try Router(configuration: configuration, logger: logger) { [pending] line in pending.append(line) }
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.router.run() }
                group.addTask { await self.followRouteTable() }
                group.addTask { await self.forwardLogs() }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Applies every route table the controller sends; reconnects when the watch breaks.
    private func followRouteTable() async {
        while !Task.isCancelled {
            do {
                for try await table in try await controller().watchRouteTable() { router.update(table) }
            } catch {
                logger.warning("route table watch broke; reconnecting", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Sends the lines gathered since the last batch, twice a second.
    private func forwardLogs() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            let batch = pending.take()
            guard !batch.isEmpty else { continue }
            do { try await controller().sendRouterLogs(batch) } catch {
                logger.debug("cannot send router log lines", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Router log lines waiting for the next batch (at most 10,000; beyond that new lines are dropped).
private final class LogBuffer: Sendable {
    private let lines = Mutex<[RouterLogLine]>([])

    func append(_ line: RouterLogLine) {
        lines.withLock { lines in if lines.count < 10_000 { lines.append(line) } }
    }

    func take() -> [RouterLogLine] {
        lines.withLock { lines in
            defer { lines.removeAll(keepingCapacity: true) }
            return lines
        }
    }
}

/// Ends the controller's route table watches when the platform shuts down: the API server waits
/// for open responses, and a watch would otherwise stay open for ever. Listed after the API
/// server, so that it runs before it in the shutdown order.
struct RouteWatchCloser: Service {
    let routes: RouteTablePublisher

    func run() async throws {
        try? await gracefulShutdown()
        await routes.finishWatches()
    }
}
