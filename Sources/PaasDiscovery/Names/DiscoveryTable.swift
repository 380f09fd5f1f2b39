import PaasAPI

/// The names discovery answers for, built from live process state; a pure value, so a new table
/// replaces the old one whole on every change.
///
/// - `<app>.internal` A: the app's `web` processes;
/// - `<type>.<app>.internal` A: the processes of that type;
/// - `<index>.<type>.<app>.internal` A: one process (the SRV targets);
/// - `_<type>._tcp.<app>.internal` SRV: one record per process, port `$PORT`, with the targets'
///   addresses as additional records;
/// - static names (add-on servers): their A or AAAA records, inside or outside `internal.`.
///
/// A known name asked for another type gets NODATA, an unknown name under `internal.` NXDOMAIN,
/// both with the zone's SOA. Names compare case-insensitively.
///
/// An asker may be limited to some apps' names (`answer(_:visibleApps:)`): the names of every
/// other app then get NXDOMAIN, exactly as if that app ran no process, so the answer tells
/// nothing about it. Static names are answered to every asker.
public struct DiscoveryTable: Sendable {
    /// The zone discovery owns.
    public static let zone = DNSName(validLabels: [Array("internal".utf8)])

    /// Seconds resolvers may cache answers (and negative answers).
    public let ttl: UInt32
    /// Records by lower-cased name. Names with no records of their own exist too (`_tcp.<app>.internal`,
    /// `<app>.internal` of an app with no web process), so that they get NODATA, not NXDOMAIN.
    private var nodes: [DNSName: Node] = [:]
    /// The lower-cased app labels (`<app>` in `<app>.internal`) that have processes.
    private var apps: Set<[UInt8]> = []

    private struct Node: Sendable {
        var addresses: [DNSRecordData] = []
        var services: [DNSRecordData] = []
    }

    /// A table for `entries` (one per running process) and `staticNames` (name → IP addresses).
    /// Entries whose names DNS cannot carry, or whose IP does not parse, are left out.
    public init(entries: [DiscoveryEntry] = [], staticNames: [String: [String]] = [:], ttl: UInt32 = 5) {
        self.ttl = ttl
        let sorted = entries.sorted { ($0.app, $0.type, $0.index) < ($1.app, $1.type, $1.index) }
        for entry in sorted {
            guard let address = DNSRecordData.address(entry.ip),
                let app = try? DNSName(labels: [Array(entry.app.utf8)] + Self.zone.labels).lowercased,
                let typeName = try? DNSName(labels: [Array(entry.type.utf8)] + app.labels).lowercased,
                let target = try? DNSName(labels: [Array(String(entry.index).utf8)] + typeName.labels),
                let service = try? DNSName(labels: [Array("_\(entry.type)".utf8), Array("_tcp".utf8)] + app.labels).lowercased
            else { continue }
            apps.insert(app.labels[0])
            add(address, to: target)
            add(address, to: typeName)
            if typeName.labels.first == Array("web".utf8) { add(address, to: app) }
            if let port = UInt16(exactly: entry.port), port > 0 {
                add(.srv(priority: 0, weight: 1, port: port, target: target), to: service)
            }
        }
        for (text, ips) in staticNames.sorted(by: { $0.key < $1.key }) {
            guard let name = try? DNSName(text).lowercased else { continue }
            for address in ips.compactMap(DNSRecordData.address) { add(address, to: name) }
        }
    }

    /// Whether discovery answers for `name` itself (else the query goes upstream).
    public func isAuthoritative(for name: DNSName) -> Bool {
        let key = name.lowercased
        return key.isWithin(Self.zone) || nodes[key] != nil
    }

    /// The response to a query with one question, or nil when the name is not this table's
    /// (see `isAuthoritative(for:)`). With `visibleApps`, only those apps' names are answered
    /// (nil: every app's).
    public func answer(_ query: DNSMessage, visibleApps: Set<String>? = nil) -> DNSMessage? {
        guard let question = query.questions.first, isAuthoritative(for: question.name) else { return nil }
        var response = query.response()
        response.header.isAuthoritative = true
        let key = question.name.lowercased
        let inZone = key.isWithin(Self.zone)
        if key == Self.zone {
            if question.type == .soa || question.type == .any { response.answers = [startOfAuthority] } else { response.authorities = [startOfAuthority] }
            return response
        }
        guard let node = nodes[key], isVisible(key, to: visibleApps) else {
            response.header.responseCode = .nameError
            response.authorities = [startOfAuthority]
            return response
        }
        let data: [DNSRecordData] =
            switch question.type {
            case .a: node.addresses.filter { if case .a = $0 { true } else { false } }
            case .aaaa: node.addresses.filter { if case .aaaa = $0 { true } else { false } }
            case .srv: node.services
            case .any: node.addresses + node.services
            default: []
            }
        response.answers = data.map { DNSResourceRecord(name: question.name, ttl: ttl, data: $0) }
        if response.answers.isEmpty, inZone { response.authorities = [startOfAuthority] }
        response.additionals = additionalRecords(for: data) + response.additionals
        return response
    }

    /// Whether `key` (lower-cased) may be answered to an asker who sees `visibleApps`: every name
    /// but those of an app with processes that is not among them.
    private func isVisible(_ key: DNSName, to visibleApps: Set<String>?) -> Bool {
        guard let visibleApps, key.labels.count > Self.zone.labels.count else { return true }
        let app = key.labels[key.labels.count - Self.zone.labels.count - 1]
        guard apps.contains(app) else { return true }
        return visibleApps.contains { Array($0.lowercased().utf8) == app }
    }

    /// The addresses of SRV targets, so that clients need no second query.
    private func additionalRecords(for data: [DNSRecordData]) -> [DNSResourceRecord] {
        data.flatMap { item -> [DNSResourceRecord] in
            guard case .srv(_, _, _, let target) = item else { return [] }
            return (nodes[target]?.addresses ?? []).map { DNSResourceRecord(name: target, ttl: ttl, data: $0) }
        }
    }

    private var startOfAuthority: DNSResourceRecord {
        let soa = DNSStartOfAuthority(
            primary: DNSName(validLabels: [Array("ns".utf8)] + Self.zone.labels),
            mailbox: DNSName(validLabels: [Array("hostmaster".utf8)] + Self.zone.labels),
            serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: ttl)
        return DNSResourceRecord(name: Self.zone, ttl: ttl, data: .soa(soa))
    }

    /// Adds `data` to `name`, and makes every name between it and the zone exist.
    private mutating func add(_ data: DNSRecordData, to name: DNSName) {
        if case .srv = data { nodes[name, default: Node()].services.append(data) } else { nodes[name, default: Node()].addresses.append(data) }
        var ancestor = name.parent
        while ancestor.isWithin(Self.zone), ancestor != Self.zone {
            if nodes[ancestor] == nil { nodes[ancestor] = Node() }
            ancestor = ancestor.parent
        }
    }
}
