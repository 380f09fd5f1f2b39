/// Where the PostgreSQL provider keeps its cluster and how apps reach it.
public struct PostgreSQLConfiguration: Sendable {
    /// The provider's directory, `<data-dir>/addons/postgresql`: the managed cluster's data,
    /// socket, and temporary backup files. Separate from the platform's own cluster.
    public var directory: String
    /// The address the managed cluster listens on: the container bridge's gateway in production
    /// (`10.213.0.1`), `127.0.0.1` in tests.
    public var listenAddress: String = "127.0.0.1"
    /// The managed cluster's TCP port (which also names its socket file).
    public var port: Int = 15432
    /// The host put in `POSTGRES_URL` (a stable name such as `postgresql.addons.internal`);
    /// the listen address when nil.
    public var urlHost: String?
    /// The unprivileged OS user the cluster runs as.
    public var osUser: String = "postgres"
    /// Directory of `initdb`, `postgres`, `psql`, `pg_dump`; the newest installed when nil.
    public var binDirectory: String?
    /// An existing server's administrator URL (`postgres://admin:secret@db.example:5432/postgres`);
    /// when set, no cluster is managed. Its user needs CREATEROLE and CREATEDB.
    public var adminURL: AdminURL?
    /// Called after an add-on's database and role exist, before provisioning returns: lets tests
    /// force a failure there. Nil in production.
    var afterCreate: (@Sendable (AddonName) async throws -> Void)?

    /// A managed cluster under `directory`, with the defaults above.
    public init(directory: String, listenAddress: String = "127.0.0.1", port: Int = 15432, urlHost: String? = nil) {
        self.directory = directory
        self.listenAddress = listenAddress
        self.port = port
        self.urlHost = urlHost
    }
}
