import Logging

/// One add-on's Redis instance: its directory, port and the two ACL users of its
/// `redis.conf` — `default` for the app (what a hosted Redis gives: `appRules`) and
/// `paas-admin` for the platform (health checks, backups over the replication protocol).
struct RedisInstance: Sendable {
    static let adminUser = "paas-admin"

    /// The app user's ACL rules (Redis 7.0, Debian 12's): every command and key, less the
    /// administrative ones (`-@admin`: CONFIG SET/REWRITE/RESETSTAT, MODULE, SHUTDOWN, DEBUG,
    /// REPLICAOF/SLAVEOF, SYNC/PSYNC/REPLCONF, FAILOVER, ACL's changing subcommands, CLUSTER,
    /// SAVE/BGSAVE/BGREWRITEAOF, CLIENT PAUSE/UNPAUSE), given back those that job queues and
    /// tools need and that harm neither the instance nor the host: CLIENT LIST/KILL/UNBLOCK/
    /// NO-EVICT (rq, Celery, Sidekiq and BullMQ list their workers' connections), CONFIG GET,
    /// SLOWLOG, LATENCY, ROLE, LASTSAVE, MONITOR. MIGRATE (not `@admin`) is taken away: it would
    /// have the server connect anywhere. docs/addons.md lists the result and why.
    static let appRules =
        "~* &* +@all -@admin +client|list +client|kill +client|unblock +client|no-evict +config|get "
        + "+slowlog +latency +role +lastsave +monitor -migrate"

    let name: AddonName
    let directory: String
    let port: Int
    let password: String
    let adminPassword: String

    var configurationPath: String { directory + "/redis.conf" }
    var rdbPath: String { directory + "/dump.rdb" }

    /// The instance's `redis.conf` (mode 0600: it holds the passwords).
    func configuration(_ settings: RedisConfiguration) -> String {
        """
        # Written by paas for add-on \(name.rawValue).
        bind \(settings.listenAddress)
        port \(port)
        daemonize no
        dir \(directory)
        dbfilename dump.rdb
        logfile \(directory)/redis.log
        pidfile \(directory)/redis.pid
        save 3600 1 300 100 60 10000
        appendonly no
        repl-diskless-sync-delay 0
        maxmemory \(settings.maxMemory)
        enable-module-command no
        enable-debug-command no
        user default on >\(password) \(Self.appRules)
        user \(Self.adminUser) on >\(adminPassword) ~* &* +@all

        """
    }

    /// Reads an instance back from the `redis.conf` paas wrote; nil when it is not one.
    static func load(name: AddonName, directory: String) -> RedisInstance? {
        guard let text = LocalFiles.read(directory + "/redis.conf") else { return nil }
        var port: Int?
        var passwords: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            if words.first == "port", words.count == 2 { port = Int(words[1]) }
            if words.first == "user", words.count > 3, let secret = words.first(where: { $0.hasPrefix(">") }) {
                passwords[String(words[1])] = String(secret.dropFirst())
            }
        }
        guard let port, let password = passwords["default"], let adminPassword = passwords[adminUser] else { return nil }
        return RedisInstance(name: name, directory: directory, port: port, password: password, adminPassword: adminPassword)
    }

    /// The admin's `redis-cli` (password in `REDISCLI_AUTH`).
    func adminClient(host: String) -> (client: ClientProgram, arguments: [String]) {
        (ClientProgram(environment: ["REDISCLI_AUTH": adminPassword]),
         ["-h", host, "-p", "\(port)", "--user", Self.adminUser, "--no-auth-warning"])
    }

    /// The supervised `redis-server` of this instance, run as `settings.osUser`.
    func makeServer(_ settings: RedisConfiguration, logger: Logger) -> ManagedServer {
        let (client, arguments) = adminClient(host: settings.listenAddress)
        return ManagedServer(
            name: "redis-\(name.rawValue)",
            launch: ServerLaunch(
                program: "/usr/bin/redis-server", arguments: [configurationPath], user: settings.osUser,
                pidFile: directory + "/redis.pid", dataDirectory: directory, logFile: directory + "/redis.log"),
            logger: logger
        ) {
            (try? await client.run("/usr/bin/redis-cli", arguments + ["ping"]))?.hasPrefix("PONG") == true
        }
    }
}
