/// How many processes of each type an app wants, derived from what was scaled and what the
/// current release defines (`web=1` by default once a slug has a web type).
public struct Formation: Sendable, Equatable {
    /// One process type's row.
    public struct Entry: Sendable, Equatable {
        public var type: String
        public var quantity: Int
        public var command: String?
        /// Memory limit of each process in MiB (`ps:resize`); nil for the platform's default.
        public var memoryMiB: Int?

        public init(type: String, quantity: Int, command: String?, memoryMiB: Int? = nil) {
            self.type = type
            self.quantity = quantity
            self.command = command
            self.memoryMiB = memoryMiB
        }
    }

    /// The rows, sorted by type with `web` first.
    public var entries: [Entry]

    /// The Procfile type that runs once per release before its processes start (the release
    /// phase); it is never part of the formation.
    public static let releasePhaseType = "release"

    /// The most processes of one type an app may ask for.
    public static let maximumQuantity = 100

    /// Merges the scaled quantities with the process types of the current release (all but the
    /// release phase).
    /// Types the release defines default to 1 for `web` and 0 otherwise; scaled types the
    /// release does not define are kept only while the release defines no types at all.
    /// `memory` holds the sizes set with `ps:resize`, in MiB.
    public init(scaled: [String: Int], processTypes: [String: String], memory: [String: Int] = [:]) {
        var entries: [String: Entry] = [:]
        for (type, command) in processTypes where type != Self.releasePhaseType {
            entries[type] = Entry(
                type: type, quantity: scaled[type] ?? (type == "web" ? 1 : 0), command: command, memoryMiB: memory[type])
        }
        if processTypes.isEmpty {
            for (type, quantity) in scaled {
                entries[type] = Entry(type: type, quantity: quantity, command: nil, memoryMiB: memory[type])
            }
        }
        self.entries = entries.values.sorted { lhs, rhs in
            if (lhs.type == "web") != (rhs.type == "web") { return lhs.type == "web" }
            return lhs.type < rhs.type
        }
    }

    /// Checks a scale request against the release's process types; returns a message saying what
    /// is wrong, or nil when the request is fine.
    public static func problem(with update: [String: Int], processTypes: [String: String]) -> String? {
        if update.isEmpty { return "Say which process types to scale, e.g. {\"web\": 2}." }
        for (type, quantity) in update.sorted(by: { $0.key < $1.key }) {
            guard ProcessTypeName.isValid(type) else { return "'\(type)' is not a valid process type. \(ProcessTypeName.rule)" }
            guard type != releasePhaseType else {
                return "'release' is the release phase: it runs once per release before the processes start, and cannot be scaled."
            }
            guard (0...maximumQuantity).contains(quantity) else {
                return "Cannot scale \(type) to \(quantity): quantities go from 0 to \(maximumQuantity)."
            }
            if !processTypes.isEmpty && processTypes[type] == nil {
                let known = processTypes.keys.sorted().joined(separator: ", ")
                return "This app has no process type '\(type)'. Its types are: \(known). Add it to the Procfile to scale it."
            }
        }
        return nil
    }
}
