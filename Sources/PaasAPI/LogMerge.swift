// Several hosts' parts of one app's log, as one.

/// Merges parts of a log (each host's lines, each part already in the order it was written) into
/// one, by time only and stably: a k-way merge that takes the part whose next line is the oldest,
/// the first such part on a tie, and never reorders the lines of one part.
///
/// Lines of one write share a timestamp (a traceback), so ordering by anything but time, or
/// sorting a part, would mix them up. A line whose time cannot be read stays behind the line
/// before it in its part.
public enum LogMerge {
    /// The lines of `parts` as one, in time order, each part's own order kept.
    public static func merge(_ parts: [[String]]) -> [String] {
        merge(parts, line: { $0 })
    }

    /// The items of `parts` as one, in the time order of their `line`s, each part's own order kept.
    public static func merge<Item>(_ parts: [[Item]], line: (Item) -> String) -> [Item] {
        if parts.count == 1 { return parts[0] }
        var positions = Array(repeating: 0, count: parts.count)
        var lastKeys = Array(repeating: "", count: parts.count)
        var merged: [Item] = []
        merged.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        while true {
            var chosen: (part: Int, key: String)?
            for part in parts.indices where positions[part] < parts[part].count {
                let key = LogEntry.timeKey(ofLine: line(parts[part][positions[part]])[...]) ?? lastKeys[part]
                if chosen == nil || key < chosen!.key { chosen = (part, key) }
            }
            guard let chosen else { return merged }
            merged.append(parts[chosen.part][positions[chosen.part]])
            positions[chosen.part] += 1
            lastKeys[chosen.part] = chosen.key
        }
    }
}
