#if canImport(Glibc)
import Glibc
#endif
import Logging
import PaasBlobs
import PaasSupport

/// Redis add-ons: one `redis-server` per add-on, with its own port, directory and password,
/// exposed as `REDIS_URL`.
///
/// One instance per add-on rather than one shared instance with an ACL user per add-on: an RDB
/// file is a whole instance, so a per-add-on backup is exactly the add-on's data and a restore
/// replaces exactly it (no key-prefix filtering), `FLUSHALL`/`KEYS`/`SELECT` behave as apps
/// expect, and one add-on's memory use or crash cannot touch another's.
public struct RedisProvider: AddonProvider, ServerOwning {
    public let kind = AddonKind.redis
    /// The provider's settings.
    public let configuration: RedisConfiguration
    private let instances = RedisInstances()
    private let logger: Logger
    private let locks = AddonLocks()

    /// A provider with `configuration`; nothing starts until `start()` or first use.
    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "paas.addons.redis")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts the instance of every add-on made before (after a platform restart), its
    /// `redis.conf` written anew (same port and passwords), so that instances made by an older
    /// paas get today's settings and ACL.
    public func start() async throws {
        for entry in LocalFiles.entries(of: instancesDirectory).sorted() {
            guard let name = AddonName(entry), let instance = instance(name) else { continue }
            try LocalFiles.write(
                instance.configuration(configuration), to: instance.configurationPath, mode: 0o600, owner: configuration.osUser)
            try await ready(instance)
        }
    }

    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for server in await instances.all { group.addTask { await server.stop() } }
        }
    }

    var managedServers: [ManagedServer] { get async { await instances.all } }

    public func health() async -> AddonHealth {
        var servers: [ServerHealth] = []
        for server in await managedServers { servers.append(await server.health()) }
        return AddonHealth(kind: kind, servers: servers, isHealthy: servers.allSatisfy { $0.state == .running })
    }

    public func provision(name: AddonName) async throws -> ProvisionedAddon {
        try await locks.serialized(name) {
            let directory = instancesDirectory + "/" + name.rawValue
            try LocalFiles.makeDirectory(instancesDirectory, mode: 0o711)
            // mkdir is the existence check and the claim on the name at once.
            guard mkdir(directory, 0o700) == 0 else {
                if errno == EEXIST { throw AddonError.alreadyExists(name) }
                throw AddonError.failed(.addonProvisionFailed, name, kind: kind, detail: String(cString: strerror(errno)))
            }
            let password = Secrets.password(), adminPassword = Secrets.password()
            do {
                try LocalFiles.changeOwner(directory, to: configuration.osUser)
                let port = try await start(name, in: directory, password: password, adminPassword: adminPassword)
                try await configuration.afterCreate?(name)
                logger.info("add-on provisioned", metadata: ["addon": "\(name)", "port": "\(port)"])
                let url = "redis://default:\(password)@\(configuration.urlHost ?? configuration.listenAddress):\(port)"
                return ProvisionedAddon(name: name, kind: kind, configVars: ["REDIS_URL": url])
            } catch {
                if let server = await instances.remove(name) { await server.stop() }
                try? await LocalFiles.remove(directory)
                let detail = Secrets.scrub("\(error)", [password, adminPassword])
                throw AddonError.failed(.addonProvisionFailed, name, kind: kind, detail: detail)
            }
        }
    }

    public func deprovision(name: AddonName) async throws {
        try await locks.serialized(name) {
            if let server = await instances.remove(name) { await server.stop() }
            do {
                try await LocalFiles.remove(instancesDirectory + "/" + name.rawValue)
            } catch {
                throw AddonError.failed(.addonDeprovisionFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on deprovisioned", metadata: ["addon": "\(name)"])
        }
    }

    /// An RDB snapshot of the add-on's instance, taken with `redis-cli --rdb` as `paas-admin`.
    public func backup(name: AddonName, into store: any BlobStore) async throws -> AddonBackup {
        try await locks.serialized(name) {
            let instance = try existing(name)
            try await ready(instance)
            let file = try workFile("backup")
            defer { LocalFiles.removeFile(file) }
            do {
                // A snapshot over the replication protocol, taken while the instance keeps serving.
                let (client, arguments) = instance.adminClient(host: configuration.listenAddress)
                try await client.run("/usr/bin/redis-cli", arguments + ["--rdb", file])
                let size = LocalFiles.size(file)
                return AddonBackup(blobID: try await store.store(fileAt: file), size: size)
            } catch {
                throw AddonError.failed(.addonBackupFailed, name, kind: kind, detail: "\(error)")
            }
        }
    }

    /// Fetches and verifies the RDB file, stops the instance, puts the file in place of its
    /// `dump.rdb`, and starts it again (a few hundred milliseconds without service).
    public func restore(name: AddonName, from blobID: BlobID, store: any BlobStore) async throws {
        try await locks.serialized(name) {
            let instance = try existing(name)
            let file = try workFile("restore")
            defer { LocalFiles.removeFile(file) }
            do {
                // Fetch (and verify) first: the data is replaced only once the backup is at hand.
                try await store.fetch(blobID, to: file)
                let server = await server(for: instance)
                await server.stop()
                try LocalFiles.changeOwner(file, to: configuration.osUser)
                guard rename(file, instance.rdbPath) == 0 else {
                    throw ServerFailure(reason: "cannot move the backup into place: \(String(cString: strerror(errno)))")
                }
                try await ready(instance)
            } catch {
                throw AddonError.failed(.addonRestoreFailed, name, kind: kind, detail: "\(error)")
            }
            logger.info("add-on restored", metadata: ["addon": "\(name)", "backup": "\(blobID)"])
        }
    }

    // MARK: - Helpers

    private var instancesDirectory: String { configuration.directory + "/instances" }

    private func instance(_ name: AddonName) -> RedisInstance? {
        RedisInstance.load(name: name, directory: instancesDirectory + "/" + name.rawValue)
    }

    private func existing(_ name: AddonName) throws -> RedisInstance {
        guard let instance = instance(name) else { throw AddonError.notFound(name, kind: kind) }
        return instance
    }

    private func server(for instance: RedisInstance) async -> ManagedServer {
        await instances.server(for: instance.name) { instance.makeServer(configuration, logger: logger) }
    }

    /// Starts the instance when needed and waits until it runs.
    private func ready(_ instance: RedisInstance) async throws {
        let server = await server(for: instance)
        do {
            try await server.start()
            try await server.waitUntilRunning()
        } catch {
            throw AddonError.serverUnavailable(kind, detail: "\(error)")
        }
    }

    /// Writes a new instance's configuration on a free port and starts it; returns the port.
    /// An instance that does not start is tried on two more ports: a port can look free to the
    /// probe and still be taken (bound without listening, or by a server starting meanwhile).
    private func start(_ name: AddonName, in directory: String, password: String, adminPassword: String) async throws -> Int {
        var port = try await freePort()
        var tried: Set<Int> = [port]
        while true {
            let placed = RedisInstance(name: name, directory: directory, port: port, password: password, adminPassword: adminPassword)
            try LocalFiles.write(
                placed.configuration(configuration), to: placed.configurationPath, mode: 0o600, owner: configuration.osUser)
            do {
                try await ready(placed)
                return port
            } catch {
                if let server = await instances.remove(name) { await server.stop() }
                guard tried.count < 3, let next = try? await freePort(excluding: tried) else { throw error }
                logger.warning(
                    "add-on did not start; trying another port", metadata: ["addon": "\(name)", "port": "\(port)", "error": "\(error)"])
                port = next
                tried.insert(next)
            }
        }
    }

    /// A port in the range that no instance was given, that is not in `excluded` and that
    /// nothing listens on.
    private func freePort(excluding excluded: Set<Int> = []) async throws -> Int {
        let taken = Set(LocalFiles.entries(of: instancesDirectory).compactMap { entry in
            AddonName(entry).flatMap(instance)?.port
        })
        for port in configuration.ports.shuffled() where !taken.contains(port) && !excluded.contains(port) {
            if !PortProbe.accepts(host: configuration.listenAddress, port: port) { return port }
        }
        throw AddonError.misconfigured(kind, "every port in \(configuration.ports) is taken. Widen the Redis port range.")
    }

    private func workFile(_ prefix: String) throws -> String {
        let directory = configuration.directory + "/work"
        try LocalFiles.makeDirectory(directory, mode: 0o700)
        return LocalFiles.temporaryPath(in: directory, prefix: prefix)
    }
}
