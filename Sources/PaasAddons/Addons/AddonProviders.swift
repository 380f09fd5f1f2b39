/// The registry of add-on providers, by kind.
public struct AddonProviders: Sendable {
    private var providers: [AddonKind: any AddonProvider]

    /// A registry of `providers`; a later provider of the same kind replaces an earlier one.
    public init(_ providers: [any AddonProvider]) {
        self.providers = Dictionary(providers.map { ($0.kind, $0) }, uniquingKeysWith: { $1 })
    }

    /// The registered kinds, sorted.
    public var kinds: [AddonKind] { providers.keys.sorted() }

    /// The provider of `kind`; throws `unknown_addon_kind` listing the kinds there are.
    public func provider(for kind: String) throws -> any AddonProvider {
        guard let provider = providers[AddonKind(rawValue: kind)] else {
            throw AddonError.unknownKind(kind, known: kinds)
        }
        return provider
    }

    /// Starts every provider that has data (paasd at boot). Stops at the first failure.
    public func start() async throws {
        for kind in kinds { try await providers[kind]!.start() }
    }

    /// Stops every provider's servers (paasd at shutdown), all at once.
    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for provider in providers.values { group.addTask { await provider.stop() } }
        }
    }

    /// The health of every provider, by kind.
    public func health() async -> [AddonHealth] {
        var result: [AddonHealth] = []
        for kind in kinds { result.append(await providers[kind]!.health()) }
        return result
    }
}
