/// One stack of the platform, as `GET /v1/stacks` lists it.
public struct StackResource: Codable, Sendable, Equatable {
    /// The stack's name, e.g. `bookworm`.
    public var name: String
    /// Whether new apps get this stack.
    public var `default`: Bool
    /// Tool → version in the stack's build root (`python`, `go`, `node`).
    public var versions: [String: String]

    public init(name: String, default: Bool, versions: [String: String]) {
        self.name = name
        self.default = `default`
        self.versions = versions
    }
}
