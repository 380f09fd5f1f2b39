/// Who may open connections to whom on the bridge: the processes of one app reach each other,
/// and an app's processes reach another app's only when the controller linked them
/// (`paas network:allow`). Everything else between containers is dropped.
///
/// Containers on the bridge talk at layer 2, so this is an nftables table of the `bridge`
/// family (named like the platform's `ip` table), replaced as a whole in one transaction on
/// every change. It matches bridge ports (each container's host-side veth), not addresses, so
/// it never touches other bridges' traffic and a container cannot pass for another. Between
/// containers only IPv4 and ARP pass (they have no IPv6 addresses; link-local ones would go
/// around the rules). The bridge path has no connection tracking here, so the answers of a
/// link are allowed statelessly: a linked-to app may answer (any TCP segment but a connection
/// request, ICMP errors), not open connections back.
struct AppFirewall: Sendable, Equatable {
    /// A container on the bridge.
    struct Member: Sendable, Equatable {
        var app: String
        /// Its host-side veth: the bridge port its frames come in by.
        var port: String
    }

    /// The containers on the bridge, by container id.
    var members: [String: Member] = [:]
    /// The apps each app may open connections to, besides itself.
    var links: [String: Set<String>] = [:]

    /// The bridge ports of `app`'s containers, sorted.
    func ports(of app: String) -> [String] {
        members.values.filter { $0.app == app }.map(\.port).sorted()
    }

    /// The nftables script that replaces the bridge table named `name`.
    func ruleset(tableName name: String) -> String {
        let table = "table bridge \(name)"
        var script = "\(table)\ndelete \(table)\n\(table) {\n\tchain forward {\n"
        script += "\t\ttype filter hook forward priority filter; policy accept;\n"
        let apps = Set(members.values.map(\.app)).sorted()
        guard !apps.isEmpty else { return script + "\t}\n}\n" }
        let chains = Dictionary(uniqueKeysWithValues: apps.enumerated().map { ($0.element, "app_\($0.offset)") })
        let allPorts = members.values.map(\.port).sorted()
        let sources = members.values.sorted { $0.port < $1.port }.map { "\"\($0.port)\" : jump \(chains[$0.app]!)" }
        script += """
            \t\tiifname != \(Self.set(allPorts)) accept
            \t\tether type arp accept
            \t\tether type != ip drop
            \t\tiifname vmap { \(sources.joined(separator: ", ")) }
            \t\tdrop
            \t}

            """
        for app in apps {
            script += "\tchain \(chains[app]!) {\n"
            let reachable = ([app] + (links[app] ?? []).sorted()).flatMap(ports(of:))
            script += "\t\toifname \(Self.set(reachable)) accept\n"
            // Answers to the apps that may reach this one.
            let askers = apps.filter { $0 != app && links[$0]?.contains(app) == true }.flatMap(ports(of:))
            if !askers.isEmpty {
                script += "\t\toifname \(Self.set(askers)) tcp flags & (syn | ack) != syn accept\n"
                script += "\t\toifname \(Self.set(askers)) icmp type { echo-reply, destination-unreachable, time-exceeded } accept\n"
            }
            script += "\t\tdrop\n\t}\n"
        }
        return script + "}\n"
    }

    private static func set(_ names: [String]) -> String {
        "{ " + names.map { "\"\($0)\"" }.joined(separator: ", ") + " }"
    }
}
