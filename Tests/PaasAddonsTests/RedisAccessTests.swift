// What the app's user of a Redis add-on may do: what a hosted Redis gives (job queues list their
// clients, run scripts, read INFO and CONFIG GET), and nothing that could break the instance or
// the host. Against a real redis-server through the provider, with the real redis-cli and rq.
import Foundation
@testable import PaasAddons
import PaasTesting
import Testing

@Suite(.sharedFixture, .tags(.medium))
struct RedisAccessTests {
    /// Commands the app's user runs (each in its own connection, unless several lines: one connection).
    static let allowed: [[String]] = [
        ["CLIENT", "LIST"], ["CLIENT", "SETNAME", "worker-1"], ["CLIENT", "GETNAME"], ["CLIENT", "ID"], ["CLIENT", "INFO"],
        ["CLIENT", "KILL", "ID", "999999"], ["CLIENT", "UNBLOCK", "999999"], ["CLIENT", "NO-EVICT", "on"],
        ["INFO"], ["INFO", "memory"], ["PUBSUB", "CHANNELS"], ["PUBSUB", "NUMSUB", "jobs"], ["SCAN", "0"], ["KEYS", "*"],
        ["CONFIG", "GET", "maxmemory"], ["WATCH", "counter"], ["EVAL", "return 1", "0"], ["SCRIPT", "LOAD", "return 2"],
        ["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"], ["FUNCTION", "LIST"],
        ["SET", "counter", "1"], ["OBJECT", "ENCODING", "counter"], ["MEMORY", "USAGE", "counter"], ["WAIT", "0", "0"],
        ["SLOWLOG", "GET"], ["LATENCY", "LATEST"], ["ROLE"], ["LASTSAVE"], ["DBSIZE"], ["TIME"], ["ACL", "WHOAMI"],
        ["COMMAND", "COUNT"], ["PUBLISH", "jobs", "x"], ["FLUSHDB"],
    ]

    /// Commands the app's user is refused with NOPERM, or before the ACL is asked (harmless arguments where a command
    /// would act, so that a wrongly allowed one fails the test without breaking the instance).
    static let denied: [[String]] = [
        ["CONFIG", "SET", "dir", "/tmp"], ["CONFIG", "SET", "dbfilename", "x.rdb"], ["CONFIG", "REWRITE"],
        ["CONFIG", "RESETSTAT"], ["MODULE", "LIST"], ["MODULE", "LOAD", "/nonexistent.so"], ["DEBUG", "SLEEP", "0"],
        ["REPLICAOF", "NO", "ONE"], ["SLAVEOF", "NO", "ONE"], ["ACL", "LIST"], ["ACL", "SETUSER", "someone"],
        ["ACL", "DELUSER", "paas-admin"], ["PSYNC", "?", "-1"], ["REPLCONF", "listening-port", "1"], ["FAILOVER", "ABORT"],
        ["CLUSTER", "MEET", "127.0.0.1", "1"], ["CLUSTER", "RESET"], ["MIGRATE", "127.0.0.1", "1", "counter", "0", "1000"], ["SAVE"], ["BGSAVE"],
        ["BGREWRITEAOF"], ["CLIENT", "PAUSE", "1"], ["CLIENT", "UNPAUSE"], ["SHUTDOWN", "NOSAVE"],
    ]

    /// Refusals the server gives before it looks at the ACL (for every user): MODULE and DEBUG
    /// are disabled (`enable-module-command`, `enable-debug-command`), CLUSTER has no cluster.
    static let refusedBeforeTheACL = ["command not allowed", "cluster support disabled"]

    @Test func theAppsUserMayRunWhatAHostedRedisAllowsAndNothingThatHarmsTheInstance() async throws {
        let fixture = try SharedFixture.fixture()
        let provider = fixture.provider(.redis)
        let name = AddonNames.generate(for: .redis)
        let url = try Self.url(try await provider.provision(name: name))
        // The platform's user asks the ACL itself (ACL DRYRUN) what the app's user may run.
        let instance = try #require(RedisInstance.load(name: name, directory: fixture.directory + "/addons/redis/instances/" + name.rawValue))
        var admin = url
        admin.user = RedisInstance.adminUser
        admin.password = instance.adminPassword
        for command in Self.allowed {
            #expect(try await Self.redis(admin, ["ACL", "DRYRUN", url.user] + command).stdout == "OK\n", "\(command)")
        }
        for command in Self.denied {
            let dryrun = try await Self.redis(admin, ["ACL", "DRYRUN", url.user] + command).stdout
            #expect(dryrun.contains("no permissions"), "\(command): \(dryrun)")
        }

        for command in Self.allowed {
            let result = try await Self.redis(url, command)
            #expect(!result.stdout.contains("NOPERM") && !result.stderr.contains("NOPERM"), "\(command): \(result.stdout)")
            // CLIENT KILL of a client that does not exist is the one expected error.
            if command.prefix(2) != ["CLIENT", "KILL"] {
                #expect(result.status == 0 && !result.stdout.hasPrefix("ERR"), "\(command): \(result.stdout) \(result.stderr)")
            }
        }
        // Transactions and scripts in one connection.
        let transaction = try await Self.redis(url, stdin: "MULTI\nINCR counter\nINCR counter\nEXEC\n")
        #expect(transaction.stdout.split(separator: "\n").suffix(2) == ["1", "2"], "\(transaction.stdout)")
        let function = "#!lua name=paastest\nredis.register_function('answer', function() return 42 end)"
        #expect(try await Self.redis(url, ["FUNCTION", "LOAD", "REPLACE", function]).stdout.hasPrefix("paastest"))
        #expect(try await Self.redis(url, ["FCALL", "answer", "0"]).stdout == "42\n")
        let sha = try await Self.redis(url, ["SCRIPT", "LOAD", "return 7"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await Self.redis(url, ["EVALSHA", sha, "0"]).stdout == "7\n")

        for command in Self.denied {
            let result = try await Self.redis(url, command)
            let text = result.stdout + result.stderr
            let refused = text.contains("NOPERM") || Self.refusedBeforeTheACL.contains { text.contains($0) }
            #expect(refused, "\(command) was not refused: \(result.stdout) \(result.stderr)")
        }
        // And the instance is still there for its app.
        #expect(try await Self.redis(url, ["PING"]).stdout == "PONG\n")
    }

    @Test func anRqWorkerRunsAJobThatAnotherProcessEnqueued() async throws {
        let provider = try SharedFixture.fixture().provider(.redis)
        let addon = try await provider.provision(name: AddonNames.generate(for: .redis))
        let redisURL = try #require(addon.configVars["REDIS_URL"])
        let directory = try TemporaryDirectory.make(prefix: "paas-rq")
        defer { TemporaryDirectory.remove(directory) }
        let python = try await Self.venvWithRQ(in: directory)
        try TestFiles.write("def add(a, b):\n    return a + b\n", to: directory + "/jobs.py")
        let environment = ["REDIS_URL": redisURL, "PYTHONPATH": directory]

        let enqueue = try await runProgram(
            python,
            ["-c", "import os, jobs; from redis import Redis; from rq import Queue; "
                + "print(Queue(connection=Redis.from_url(os.environ['REDIS_URL'])).enqueue(jobs.add, 2, 3).id)"],
            environment: environment, workingDirectory: directory)
        try #require(enqueue.status == 0, "enqueueing failed: \(enqueue.stderr)")
        let jobID = enqueue.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // --burst: work until the queue is empty, then exit. `timeout` ends a worker that hangs.
        let worker = try await runProgram(
            "/usr/bin/timeout", ["300", directory + "/venv/bin/rq", "worker", "--burst", "--url", redisURL],
            environment: environment, workingDirectory: directory)
        #expect(worker.status == 0, "\(worker.stdout) \(worker.stderr)")
        #expect(!(worker.stdout + worker.stderr).contains("NOPERM"), "\(worker.stderr)")

        let result = try await runProgram(
            python,
            ["-c", "import os, sys; from redis import Redis; from rq.job import Job; "
                + "job = Job.fetch(sys.argv[1], connection=Redis.from_url(os.environ['REDIS_URL'])); "
                + "print(job.get_status().value, job.return_value())", jobID],
            environment: environment, workingDirectory: directory)
        #expect(result.stdout == "finished 5\n", "\(result.stdout) \(result.stderr) worker: \(worker.stderr)")
    }

    /// A new virtual environment in `directory` with rq from the package index; its python.
    /// A failure (the index out of reach) fails the test, saying so.
    static func venvWithRQ(in directory: String) async throws -> String {
        let venv = directory + "/venv"
        let made = try await runProgram("/usr/bin/python3", ["-m", "venv", venv])
        try #require(made.status == 0, "python3 -m venv failed (is python3-venv installed? scripts/test installs it): \(made.stderr)")
        let pip = try await runProgram(
            venv + "/bin/pip", ["install", "--disable-pip-version-check", "--quiet", "--timeout", "60", "rq"])
        try #require(
            pip.status == 0,
            "pip could not install rq (the test needs the Python package index): \(pip.stderr.suffix(2000))")
        return venv + "/bin/python"
    }

    /// The add-on's URL parts for redis-cli.
    static func url(_ addon: ProvisionedAddon) throws -> AdminURL {
        try #require(addon.configVars["REDIS_URL"].flatMap(AdminURL.init), "no parsable REDIS_URL")
    }

    /// `redis-cli` as the add-on's user (password in the environment), with `command` or, one a
    /// line, `stdin`'s commands in one connection.
    static func redis(_ url: AdminURL, _ command: [String] = [], stdin: String? = nil) async throws -> ProgramResult {
        try await runProgram(
            "/usr/bin/redis-cli",
            ["-h", url.host, "-p", "\(url.port ?? 6379)", "--user", url.user, "--no-auth-warning"] + command,
            environment: ["REDISCLI_AUTH": url.password], stdin: stdin)
    }
}
