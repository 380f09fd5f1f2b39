#if canImport(Glibc)
import Glibc
#endif
@testable import PaasAddons
import PaasTesting
import Testing

/// Managed servers come back after being killed and after a platform restart. Each test has
/// servers of its own, since it kills or stops them.
@Suite(.tags(.medium))
struct AddonServerSupervisionTests {
    @Test(arguments: AddonFixture.allKinds)
    func serversGetAPlainEnvironmentNotThePlatforms(kind: AddonKind) async throws {
        setenv("PAAS_TEST_PLATFORM_SECRET", "s3cr3t", 1)
        try await AddonFixture.with(kinds: [kind]) { fixture in
            let provider = fixture.provider(kind)
            _ = try await provider.provision(name: AddonNames.generate(for: kind))
            let processID = try #require(await provider.health().servers.first?.processID)
            let environ = try #require(TestFiles.read("/proc/\(processID)/environ"))
            let names = Set(environ.split(separator: "\0").compactMap { $0.split(separator: "=").first.map(String.init) })
            // Servers may add their own variables (PostgreSQL does); none of the platform's reach them.
            #expect(!environ.contains("s3cr3t") && !names.contains("PAAS_TEST_PLATFORM_SECRET"), "\(names.sorted())")
            // Redis writes its process title over its environment's memory: nothing to read there.
            if kind != .redis { #expect(names.isSuperset(of: ["PATH", "LANG", "HOME"]), "\(names.sorted())") }
            #expect(!names.contains { $0.hasPrefix("PAAS_") }, "\(names.sorted())")
        }
    }

    @Test(arguments: AddonFixture.allKinds)
    func killedServerIsRestartedAndAddonsWorkAgain(kind: AddonKind) async throws {
        try await AddonFixture.with(kinds: [kind]) { fixture in
            let provider = fixture.provider(kind)
            let name = AddonNames.generate(for: kind)
            let client = try AddonClient(try await provider.provision(name: name))
            try await client.write("k", "before")
            let before = try #require(await provider.health().servers.first)
            let processID = try #require(before.processID)

            #expect(kill(processID, SIGKILL) == 0)
            let after = try await waitForRestart(of: provider, replacing: processID)
            #expect(after.restarts == 1)
            #expect(after.lastExit == "killed by signal 9")

            #expect(try await client.canConnect())
            try await client.write("k2", "after")
            #expect(try await client.read("k2") == "after")
            let other = try AddonClient(try await provider.provision(name: AddonNames.generate(for: kind)))
            #expect(try await other.canConnect())
        }
    }

    @Test(arguments: AddonFixture.allKinds)
    func secondStartOverTheSameDataDirectoryKeepsAddons(kind: AddonKind) async throws {
        try await AddonFixture.with(kinds: [kind]) { fixture in
            let name = AddonNames.generate(for: kind)
            let client = try AddonClient(try await fixture.provider(kind).provision(name: name))
            try await client.write("k", "survives")
            await fixture.stop()
            #expect(try await !client.canConnect())
            #expect(await fixture.provider(kind).health().servers.allSatisfy { $0.state == .stopped })

            let second = fixture.restarted()
            do {
                try await second.provider(kind).start()
                #expect(await second.provider(kind).health().isHealthy)
                #expect(try await client.read("k") == "survives")
                try await second.provider(kind).deprovision(name: name)
                #expect(try await !client.canConnect())
                await second.stop()
            } catch {
                await second.stop()
                throw error
            }
        }
    }

    @Test(arguments: AddonFixture.allKinds)
    func serverLeftRunningByAKilledPlatformIsReplaced(kind: AddonKind) async throws {
        try await AddonFixture.with(kinds: [kind]) { fixture in
            let name = AddonNames.generate(for: kind)
            let client = try AddonClient(try await fixture.provider(kind).provision(name: name))
            try await client.write("k", "kept")
            let orphan = try #require(await fixture.provider(kind).health().servers.first?.processID)
            // paasd dies without stopping its servers: nobody watches them any more.
            for server in await (fixture.provider(kind) as! any ServerOwning).managedServers { await server.abandon() }

            let second = fixture.restarted()
            do {
                try await second.provider(kind).start()
                let server = try #require(await second.provider(kind).health().servers.first)
                #expect(server.state == .running)
                #expect(server.processID != orphan)
                #expect(kill(orphan, 0) != 0)  // the orphan is gone
                #expect(try await client.read("k") == "kept")
                await second.stop()
            } catch {
                await second.stop()
                throw error
            }
        }
    }

    @Test(arguments: AddonFixture.allKinds)
    func startDoesNothingForAProviderNeverUsed(kind: AddonKind) async throws {
        try await AddonFixture.with(kinds: [kind]) { fixture in
            try await fixture.provider(kind).start()
            let health = await fixture.provider(kind).health()
            #expect(health.servers.allSatisfy { $0.state == .stopped })
        }
    }

    /// Waits until the provider's server runs again under a new process id.
    private func waitForRestart(of provider: any AddonProvider, replacing old: Int32) async throws -> ServerHealth {
        try await eventually("the \(provider.kind) server runs again under a new process id") {
            guard let server = await provider.health().servers.first, server.state == .running,
                let processID = server.processID, processID != old
            else { return nil }
            return server
        }
    }
}
