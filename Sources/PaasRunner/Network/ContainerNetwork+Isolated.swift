import PaasContainers

extension ContainerNetwork: IsolatedNetwork {
    /// Gives container `id` a namespace on the bridge as an app of its own (it reaches no app's
    /// processes and discovery tells it no app's names), whose resolver is the runner's DNS
    /// server on the gateway. Give it an id no app has (builds: `build.<build id>`, with a dot).
    public func isolate(id: String) async throws -> IsolatedNetworkAttachment {
        let attachment = try await create(id: id)
        return IsolatedNetworkAttachment(
            namespacePath: attachment.namespacePath, address: "\(attachment.address)", nameserver: "\(configuration.gateway)")
    }

    public func release(id: String) async throws {
        try await remove(id: id)
    }
}
