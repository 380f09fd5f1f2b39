// DNS discovery on real parts: a process of one app finds another app's processes by name with
// dig (from inside its container, through the runner's DNS server on the bridge), and reaches
// them once the app is allowed to (`paas network:allow`).
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

            let output = try await Self.run(
                sandbox,
                """
                cat /etc/resolv.conf | grep nameserver
                echo A; dig +short web.other.internal | sort
                echo APP; dig +short other.internal | sort
                echo SRV; dig +short SRV _web._tcp.other.internal | sort
                echo NX; dig web.nobody.internal | grep -o 'status: [A-Z]*'
                echo HTTP; curl -sS --max-time 5 http://web.other.internal:5000/ || echo unreachable
                """)
            let sections = Self.sections(output)
            #expect(sections["A"].map(Set.init) == addresses, "\(output)")
            #expect(sections["APP"].map(Set.init) == addresses, "\(output)")
            #expect(sections["SRV"] == ["0 1 5000 1.web.other.internal.", "0 1 5000 2.web.other.internal."], "\(output)")
            #expect(sections["NX"] == ["status: NXDOMAIN"], "\(output)")
            #expect(sections["HTTP"]?.last == "unreachable", "another app's processes are closed to demo: \(output)")
            #expect(output.first?.hasPrefix("nameserver 10.215.") == true, "the resolver is the bridge gateway: \(output)")

            let allowed = try await sandbox.client.allowNetwork(app: "demo", to: "other")
            #expect(allowed == AppNetworkResource(app: "demo", reaches: ["other"]))
            #expect(try await sandbox.client.network(app: "other").reaches.isEmpty, "a link goes one way")
            let linked = try await Self.run(sandbox, "echo HTTP; curl -sS --max-time 5 http://web.other.internal:5000/")
            #expect(Self.sections(linked)["HTTP"]?.first?.hasSuffix("v2 10000 - two") == true, "\(linked)")

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
            if ["A", "APP", "SRV", "NX", "HTTP"].contains(line) {
                current = line
                sections[line] = []
            } else if let current {
                sections[current, default: []].append(line)
            }
        }
        return sections
    }
}
