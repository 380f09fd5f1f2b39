/// What a failed program printed, as a `Sendable` cause.
struct ProgramOutput: Error, Sendable, CustomStringConvertible {
    var text: String
    var description: String { text }
}
