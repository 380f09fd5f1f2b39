/// One operation at a time per add-on name, so that two provisions of one name cannot both pass
/// the existence check (and the loser's clean-up drop the winner's database), nor a restore
/// race a deprovision.
actor AddonLocks {
    private var busy: Set<AddonName> = []
    private var waiting: [AddonName: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once no other operation on `name` runs.
    func serialized<T: Sendable>(_ name: AddonName, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(name)
        do {
            let result = try await body()
            release(name)
            return result
        } catch {
            release(name)
            throw error
        }
    }

    private func acquire(_ name: AddonName) async {
        guard busy.contains(name) else {
            busy.insert(name)
            return
        }
        await withCheckedContinuation { waiting[name, default: []].append($0) }
    }

    /// Hands the name to the next waiter, or frees it.
    private func release(_ name: AddonName) {
        guard var queue = waiting[name], !queue.isEmpty else {
            busy.remove(name)
            return
        }
        let next = queue.removeFirst()
        waiting[name] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
