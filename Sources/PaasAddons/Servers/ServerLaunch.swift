import Subprocess
#if canImport(Glibc)
import Glibc
#endif

/// How to run one server in the foreground: the program, its arguments (never secrets: those go
/// in files), the unprivileged user and the signal that stops it cleanly.
public struct ServerLaunch: Sendable {
    /// The server's executable.
    public var program: String
    /// Its arguments.
    public var arguments: [String]
    /// The OS user it runs as (through `setpriv`, which execs: the process id is the server's);
    /// nil when the server drops privileges itself.
    public var user: String?
    /// The signal for a clean shutdown (SIGTERM for MariaDB and Redis, SIGINT — fast shutdown —
    /// for PostgreSQL).
    public var stopSignal: Int32
    /// How long a clean shutdown may take before SIGKILL.
    public var stopTimeout: Duration = .seconds(30)
    /// The pid file the server writes and the data directory it works in (its current
    /// directory): a server left running by an earlier start is found through the one,
    /// recognized by the other and its executable, and stopped before a new one starts.
    public var pidFile: String?
    /// See `pidFile`.
    public var dataDirectory: String?
    /// The log file the server writes, when it has one: a server that exits while starting is
    /// reported with its log's last line (why it stopped: a port in use, a bad setting).
    public var logFile: String?

    /// The server's whole environment: a plain `PATH`, `LANG` and `HOME` (its data directory),
    /// nothing of paasd's own (its tokens, database URL or cloud credentials).
    var environment: [Environment.Key: String] {
        ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": dataDirectory ?? "/"]
    }

    public init(program: String, arguments: [String], user: String? = nil, stopSignal: Int32 = SIGTERM, pidFile: String? = nil,
        dataDirectory: String? = nil, logFile: String? = nil
    ) {
        self.logFile = logFile
        self.pidFile = pidFile
        self.dataDirectory = dataDirectory
        self.program = program
        self.arguments = arguments
        self.user = user
        self.stopSignal = stopSignal
    }

    /// The executable and arguments to spawn.
    var commandLine: (String, [String]) {
        guard let user else { return (program, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)", "--init-groups", "--", program] + arguments)
    }
}
