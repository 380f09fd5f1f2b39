/// Who may open connections to whom on the bridge: the processes of one app reach each other,
/// and an app's processes reach another app's only when the controller linked them
/// (`paas network:allow --from A --to B`). Everything else between containers is dropped.
///
/// Containers on the bridge talk at layer 2, so this is an nftables table of the `bridge`
/// family (named like the platform's `ip` table), replaced as a whole in one transaction on
/// every change. Only frames whose source is in the platform's subnet are filtered; IPv6
/// between containers is dropped (they have no IPv6 addresses; link-local ones would bypass
/// the IPv4 rules). This kernel path has no connection tracking, so the reply direction of a
/// link is allowed statelessly: a linked-to app may answer (any TCP segment but a connection
/// request, ICMP errors), not open connections back.
struct AppFirewall: Sendable, Equatable {
    /// A container on the bridge.
    struct Member: Sendable, Equatable {
        var app: String
        var address: IPv4Address
    }

    /// The containers on the bridge, by container id.
    var members: [String: Member] = [:]
    /// The apps each app may open connections to, besides itself.
    var links: [String: Set<String>] = [:]

    /// The addresses of `app`'s containers, sorted.
    func addresses(of app: String) -> [IPv4Address] {
        members.values.filter { $0.app == app }.map(\.address).sorted()
    }

    /// The nftables script that replaces the bridge table of `configuration`.
    func ruleset(_ configuration: NetworkConfiguration) -> String {
        let table = "table bridge \(configuration.tableName)"
        let apps = Set(members.values.map(\.app)).sorted()
        let chains = Dictionary(uniqueKeysWithValues: apps.enumerated().map { ($0.element, "app_\($0.offset)") })
        var forward = [
            "type filter hook forward priority filter; policy accept;",
            "ether type arp accept",
            "ether type ip6 drop",
            "ether type != ip accept",
            "ip saddr != \(configuration.subnet) accept",
        ]
        let sources = members.values.sorted { $0.address < $1.address }.map { "\($0.address) : jump \(chains[$0.app]!)" }
        if !sources.isEmpty { forward.append("ip saddr vmap { \(sources.joined(separator: ", ")) }") }
        forward.append("drop")

        var script = "\(table)\ndelete \(table)\n\(table) {\n\tchain forward {\n"
        script += forward.map { "\t\t\($0)\n" }.joined() + "\t}\n"
        for app in apps {
            script += "\tchain \(chains[app]!) {\n"
            let reachable = ([app] + (links[app] ?? []).sorted()).flatMap(addresses(of:))
            if !reachable.isEmpty { script += "\t\tip daddr \(Self.set(reachable)) accept\n" }
            // Answers to the apps that may reach this one.
            let askers = apps.filter { $0 != app && links[$0]?.contains(app) == true }.flatMap(addresses(of:))
            if !askers.isEmpty {
                script += "\t\tip daddr \(Self.set(askers)) tcp flags & (syn | ack) != syn accept\n"
                script += "\t\tip daddr \(Self.set(askers)) icmp type { echo-reply, destination-unreachable, time-exceeded } accept\n"
            }
            script += "\t}\n"
        }
        return script + "}\n"
    }

    private static func set(_ addresses: [IPv4Address]) -> String {
        "{ " + addresses.map(\.description).joined(separator: ", ") + " }"
    }
}
