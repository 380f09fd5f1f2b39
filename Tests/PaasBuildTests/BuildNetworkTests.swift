// A build's code is the least trusted code the platform runs: it gets a network namespace of
// its own on the platform bridge. These tests try, from inside a real build container, every path
// the review found open when builds shared the host's namespace.
import PaasRunner
import PaasTesting
import Testing

@testable import PaasBuild

#if canImport(Glibc)
import Glibc
#endif

@Suite(.tags(.large))
struct BuildNetworkTests {
    /// bin/compile of a buildpack that tries to open TCP connections and prints `<name> open` or
    /// `<name> closed` for each; a dropped connection counts as closed after 5 s.
    static func probes(_ targets: [(name: String, host: String, port: Int)]) -> String {
        var script = """
            probe() { if timeout 5 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; then echo "probe $1 open"; else echo "probe $1 closed"; fi; }
            echo "probe interfaces $(ls /sys/class/net | sort | tr '\\n' ' ')"
            if getent hosts pypi.org >/dev/null; then echo "probe outside-name resolves"; else echo "probe outside-name fails"; fi

            """
        for target in targets { script += "probe \(target.name) \(target.host) \(target.port)\n" }
        return script
    }

    /// The `probe` lines of a build's output, without the prefix.
    static func results(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            line.hasPrefix("probe ") ? String(line.dropFirst(6)) : nil
        }
    }

    @Test func aBuildReachesTheOutsideAndTheDNSButNoAppAndNoHostService() async throws {
        try await TestNetwork.withPrepared(dns: true) { network in
            let gateway = network.configuration.gateway
            // Another tenant's process on the same bridge, and services of the host: on its
            // loopback and on the gateway address.
            let app = try await network.containers.create(id: "shop.web.1", app: "shop")
            let appServer = try await NamespaceHTTPServer.start(in: app.namespace, address: app.address, port: 8080)
            defer { appServer.stop() }
            let loopbackPort = try FreePort.find()
            let loopback = try await NamespaceHTTPServer.start(in: nil, address: IPv4Address(127, 0, 0, 1), port: loopbackPort)
            defer { loopback.stop() }
            let gatewayPort = try FreePort.find()
            let hostService = try await NamespaceHTTPServer.start(in: nil, address: gateway, port: gatewayPort)
            defer { hostService.stop() }

            var harness = try BuildHarness()
            defer { harness.remove() }
            harness.configuration.network = network.containers
            let source = try await harness.source(nil)
            let prober = try harness.buildpack(
                "prober",
                compile: Self.probes([
                    ("dns", "\(gateway)", 53), ("app", "\(app.address)", 8080), ("host-loopback", "127.0.0.1", loopbackPort),
                    ("host-service", "\(gateway)", gatewayPort), ("metadata", "169.254.169.254", 80),
                ]))
            try TestFiles.write("\(prober)\n", to: source + "/.buildpacks")
            let output = OutputLines()
            let id = uniqueBuildID("network")
            _ = try await harness.build(source, id: id, output: output)
            let text = await output.text
            #expect(
                Self.results(text) == [
                    "interfaces eth0 lo ", "outside-name resolves", "dns open", "app closed", "host-loopback closed",
                    "host-service closed", "metadata closed",
                ], "\(text)")
            try await harness.expectCleanedUp(id)
            let left = try await network.containers.observe().map(\.id)
            #expect(left == ["shop.web.1"], "the build's namespace is gone: \(left)")
        }
    }

    @Test func withoutANetworkABuildHasLoopbackOnly() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let source = try await harness.source(nil)
        let prober = try harness.buildpack("prober", compile: Self.probes([]))
        try TestFiles.write("\(prober)\n", to: source + "/.buildpacks")
        let output = OutputLines()
        _ = try await harness.build(source, id: uniqueBuildID("no-network"), output: output)
        let text = await output.text
        #expect(Self.results(text) == ["interfaces lo ", "outside-name fails"], "\(text)")
    }
}
