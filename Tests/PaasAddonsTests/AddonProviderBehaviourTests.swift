import PaasAddons
import PaasTesting
import Testing

/// What every provider promises, against real servers and real clients, one shared set of
/// servers for the suite.
@Suite(.sharedFixture, .tags(.medium))
struct AddonProviderBehaviourTests {
    @Test(arguments: AddonFixture.allKinds)
    func provisionedCredentialsWriteAndRead(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = AddonNames.generate(for: kind)
        var provisioned: ProvisionedAddon?
        let time = try await ContinuousClock().measure { provisioned = try await provider.provision(name: name) }
        let addon = try #require(provisioned)
        let warm = try await ContinuousClock().measure { _ = try await provider.provision(name: AddonNames.generate(for: kind)) }
        print("\(kind): first provision \(time) (may include the server's first start), next \(warm)")

        #expect(addon.name == name)
        let variable: [AddonKind: String] = [.mysql: "MYSQL_URL", .postgresql: "POSTGRES_URL", .redis: "REDIS_URL"]
        #expect(addon.configVars.keys.sorted() == [variable[kind]])
        let client = try AddonClient(addon)
        #expect(client.url.password.count == 32)
        #expect(client.url.password.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        try await client.write("greeting", "hello")
        #expect(try await client.read("greeting") == "hello")
        #expect(!addon.description.contains(client.url.password))
    }

    @Test(arguments: AddonFixture.allKinds)
    func anotherAddonsCredentialsAreRefused(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let first = AddonNames.generate(for: kind), second = AddonNames.generate(for: kind)
        let firstClient = try AddonClient(try await provider.provision(name: first))
        let secondClient = try AddonClient(try await provider.provision(name: second))

        try await firstClient.write("secret", "firsts")
        #expect(try await secondClient.canConnect())
        #expect(try await !secondClient.connecting(to: firstClient).canConnect())
    }

    @Test(arguments: [AddonKind.mysql, .postgresql])
    func credentialsReachOnlyTheAddonsOwnDatabase(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let client = try AddonClient(try await provider.provision(name: AddonNames.generate(for: kind)))
        let others = kind == .mysql ? ["mysql"] : ["postgres", "template1"]
        for database in others { #expect(try await !client.on(database: database).canConnect()) }
    }

    @Test(arguments: AddonFixture.allKinds)
    func deprovisionRemovesDataAndCredentials(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = AddonNames.generate(for: kind)
        let client = try AddonClient(try await provider.provision(name: name))
        try await client.write("k", "v")

        try await provider.deprovision(name: name)
        #expect(try await !client.canConnect())
        // The data is gone: a backup of the name finds nothing, and the name can be used again.
        await #expect(throws: AddonError.self) { try await provider.backup(name: name, into: SharedFixture.fixture().blobStore) }
        try await provider.deprovision(name: name)  // idempotent
        let again = try AddonClient(try await provider.provision(name: name))
        #expect(try await again.canConnect())
        try await again.write("k", "fresh")
        #expect(try await again.read("k") == "fresh")
        try await provider.deprovision(name: name)
    }

    @Test(arguments: AddonFixture.allKinds)
    func restoreBringsBackTheBackedUpData(kind: AddonKind) async throws {
        let fixture = try SharedFixture.fixture()
        let provider = fixture.provider(kind)
        let name = AddonNames.generate(for: kind)
        let client = try AddonClient(try await provider.provision(name: name))
        try await client.write("a", "1")
        try await client.write("b", "2")

        let clock = ContinuousClock()
        var backup: AddonBackup?
        let backupTime = try await clock.measure { backup = try await provider.backup(name: name, into: fixture.blobStore) }
        let stored = try #require(backup)
        #expect(stored.size > 0)
        #expect(try await fixture.blobStore.size(of: stored.blobID) == stored.size)

        try await client.deleteAll()
        try await client.write("c", "after backup")
        #expect(try await client.read("a") == nil)

        let restoreTime = try await clock.measure { try await provider.restore(name: name, from: stored.blobID, store: fixture.blobStore) }
        #expect(try await client.read("a") == "1")
        #expect(try await client.read("b") == "2")
        #expect(try await client.read("c") == nil)
        print("\(kind): backup \(backupTime), restore \(restoreTime), \(stored.size) bytes")
    }

    @Test(arguments: AddonFixture.allKinds)
    func provisioningATakenNameFailsAndKeepsTheExistingAddon(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = AddonNames.generate(for: kind)
        let client = try AddonClient(try await provider.provision(name: name))
        try await client.write("k", "kept")

        let error = await #expect(throws: AddonError.self) { try await provider.provision(name: name) }
        #expect(error?.code == .addonAlreadyExists)
        #expect(try await client.read("k") == "kept")
    }

    @Test(arguments: AddonFixture.allKinds)
    func failedProvisioningLeavesNothingBehind(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = try #require(AddonName("doomed-\(kind.rawValue)-\(Int.random(in: 10000...99999))"))
        let error = await #expect(throws: AddonError.self) { try await provider.provision(name: name) }
        #expect(error?.code == .addonProvisionFailed)
        #expect(error.map { !"\($0)".containsPasswordLikeToken } == true)

        // Nothing is left: backing the name up finds nothing, and the same name provisions
        // cleanly (the existence check refuses names whose database, user or files exist).
        await #expect(throws: AddonError.self) { try await provider.backup(name: name, into: SharedFixture.fixture().blobStore) }
        // (The forced failure strikes a name once.)
        let client = try AddonClient(try await provider.provision(name: name))
        #expect(try await client.canConnect())
    }

    @Test(arguments: AddonFixture.allKinds)
    func concurrentProvisionsOfOneNameLeaveOneWorkingAddon(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = AddonNames.generate(for: kind)
        let results = await withTaskGroup(of: Result<ProvisionedAddon, any Error>.self) { group in
            for _ in 0..<3 { group.addTask { await Result(catching: { try await provider.provision(name: name) }) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let made = results.compactMap { try? $0.get() }
        #expect(made.count == 1)
        #expect(results.compactMap { ($0.failure as? AddonError)?.code } == [.addonAlreadyExists, .addonAlreadyExists])
        let client = try AddonClient(try #require(made.first))
        try await client.write("k", "one")
        #expect(try await client.read("k") == "one")
    }

    @Test(arguments: AddonFixture.allKinds)
    func backupOfAMissingAddonSaysNotFound(kind: AddonKind) async throws {
        let fixture = try SharedFixture.fixture()
        let name = AddonNames.generate(for: kind)
        let error = await #expect(throws: AddonError.self) {
            try await fixture.provider(kind).backup(name: name, into: fixture.blobStore)
        }
        #expect(error?.code == .addonNotFound)
        #expect(error?.message.contains("paas addons") == true)
    }

    @Test(arguments: AddonFixture.allKinds)
    func healthReportsRunningServers(kind: AddonKind) async throws {
        let provider = try SharedFixture.fixture().provider(kind)
        let name = AddonNames.generate(for: kind)
        _ = try await provider.provision(name: name)
        let health = await provider.health()
        #expect(health.kind == kind)
        // Other tests provision on the same servers meanwhile: a Redis instance may be starting.
        #expect(health.servers.contains { $0.state == .running && $0.processID != nil })
    }
}

extension Result {
    /// The error, when this is a failure.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// Captures the outcome of an async throwing body.
    fileprivate init(catching body: () async throws(Failure) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
