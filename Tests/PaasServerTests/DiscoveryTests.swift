// DNS discovery on real parts: a process of one app finds another app's processes by name with
// dig (from inside its container, through the runner's DNS server on the bridge), and finds and
// reaches them only once the app is allowed to (`paas network:allow`).
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.large)) struct DiscoveryTests {
    @Test func appsFindEachOtherAsTypeDotAppDotInternal() async throws {
        try await PushSandbox.withRunning(runs: true) { sandbox in
            #expect(try await sandbox.push(try await sandbox.workTree(files: DeployTests.webApp(version: "one"))).status == 0)
            _ = try await sandbox.client.createApp(name: "other")
            let other = try await sandbox.workTree(named: "other", files: DeployTests.webApp(version: "two"))
            #expect(try await sandbox.push(other, app: "other").status == 0)
            _ = try await sandbox.client.scale(app: "other", ["web": 2])
            let others = try await sandbox.client.processes(app: "other")
            let addresses = Set(others.compactMap(\.ip))
            try #require(addresses.count == 2)

            let demo = try #require(try await sandbox.client.processes(app: "demo").compactMap(\.ip).first)
            let before = try await Self.run(
                sandbox,
                """
                cat /etc/resolv.conf | grep nameserver
                echo OWN; dig +short web.demo.internal
                echo A; dig +short web.other.internal
                echo NX; dig web.other.internal | grep -o 'status: [A-Z]*'; dig web.nobody.internal | grep -o 'status: [A-Z]*'
                echo HTTP; curl -sS --max-time 5 http://\(others[0].ip ?? ""):5000/ || echo unreachable
                """)
            let closed = Self.sections(before)
            #expect(closed["OWN"] == [demo], "an app finds its own processes: \(before)")
            #expect(closed["A"] == [], "another app's names are not told to demo: \(before)")
            #expect(closed["NX"] == ["status: NXDOMAIN", "status: NXDOMAIN"], "the same answer as for no app: \(before)")
            #expect(closed["HTTP"]?.last == "unreachable", "another app's processes are closed to demo: \(before)")
            #expect(before.first?.hasPrefix("nameserver 10.215.") == true, "the resolver is the bridge gateway: \(before)")

            let allowed = try await sandbox.client.allowNetwork(app: "demo", to: "other")
            #expect(allowed == AppNetworkResource(app: "demo", reaches: ["other"]))
            #expect(try await sandbox.client.network(app: "other").reaches.isEmpty, "a link goes one way")
            let output = try await Self.run(
                sandbox,
                """
                echo A; dig +short web.other.internal | sort
                echo APP; dig +short other.internal | sort
                echo SRV; dig +short SRV _web._tcp.other.internal | sort
                echo HTTP; curl -sS --max-time 5 http://web.other.internal:5000/ || echo unreachable
                """)
            let sections = Self.sections(output)
            #expect(sections["A"].map(Set.init) == addresses, "\(output)")
            #expect(sections["APP"].map(Set.init) == addresses, "\(output)")
            #expect(sections["SRV"] == ["0 1 5000 1.web.other.internal.", "0 1 5000 2.web.other.internal."], "\(output)")
            #expect(sections["HTTP"]?.first?.hasSuffix("v2 10000 - two") == true, "\(output)")

            // A stopped process leaves the answers at once.
            _ = try await sandbox.client.scale(app: "other", ["web": 1])
            let remaining = try await sandbox.client.processes(app: "other").compactMap(\.ip)
            let after = Self.sections(try await Self.run(sandbox, "echo A; dig +short web.other.internal"))
            #expect(after["A"] == remaining, "\(after)")
        }
    }

    /// Runs `script` in a one-off process of demo; returns its output lines.
    static func run(_ sandbox: PushSandbox, _ script: String) async throws -> [String] {
        var lines: [String] = []
        for try await event in try await sandbox.client.run(app: "demo", RunRequest(command: [script])) where event.event != "exit" {
            lines.append(event.data)
        }
        return lines
    }

    /// Lines grouped under the marker line before them (`A`, `SRV`…).
    static func sections(_ lines: [String]) -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current: String?
        for line in lines {
            if ["OWN", "A", "APP", "SRV", "NX", "HTTP"].contains(line) {
                current = line
                sections[line] = []
            } else if let current {
                sections[current, default: []].append(line)
            }
        }
        return sections
    }
}
