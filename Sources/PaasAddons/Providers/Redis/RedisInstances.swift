/// The running instances of the Redis provider, by add-on name.
actor RedisInstances {
    private var servers: [AddonName: ManagedServer] = [:]

    /// The instance's server, made by `make` the first time.
    func server(for name: AddonName, make: () -> ManagedServer) -> ManagedServer {
        if let server = servers[name] { return server }
        let server = make()
        servers[name] = server
        return server
    }

    /// Forgets the instance's server, handing it back (to be stopped).
    func remove(_ name: AddonName) -> ManagedServer? {
        servers.removeValue(forKey: name)
    }

    /// Every known server.
    var all: [ManagedServer] { servers.keys.sorted().map { servers[$0]! } }
}
