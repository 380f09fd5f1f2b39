/// Where the MySQL provider keeps its server and how apps reach it.
public struct MySQLConfiguration: Sendable {
    /// The provider's directory, `<data-dir>/addons/mysql`: the managed server's data, socket,
    /// log, and temporary backup files.
    public var directory: String
    /// The address the managed server listens on: the container bridge's gateway in production
    /// (`10.213.0.1`), `127.0.0.1` in tests.
    public var listenAddress: String = "127.0.0.1"
    /// The managed server's TCP port.
    public var port: Int = 13306
    /// The host put in `MYSQL_URL` (a stable name such as `mysql.addons.internal`); the listen
    /// address when nil.
    public var urlHost: String?
    /// The unprivileged OS user the managed server runs as.
    public var osUser: String = "mysql"
    /// An existing server's administrator URL (`mysql://root:secret@db.example:3306`); when set,
    /// no server is managed and add-ons are made there (`urlHost` and `port` then default to the
    /// URL's). Its user needs CREATE USER and GRANT OPTION.
    public var adminURL: AdminURL?
    /// Called after an add-on's database and user exist, before provisioning returns: lets tests
    /// force a failure there. Nil in production.
    var afterCreate: (@Sendable (AddonName) async throws -> Void)?

    /// A managed server under `directory`, with the defaults above.
    public init(directory: String, listenAddress: String = "127.0.0.1", port: Int = 13306, urlHost: String? = nil) {
        self.directory = directory
        self.listenAddress = listenAddress
        self.port = port
        self.urlHost = urlHost
    }
}
