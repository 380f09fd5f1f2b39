import PaasCore

extension SlugBuilder.Configuration {
    /// The platform's stacks, the default one first when `stacks` lacks it.
    public var allStacks: [BuildStack] {
        stacks.contains { $0.name == stackName } ? stacks : [BuildStack(name: stackName, rootPath: buildStackPath)] + stacks
    }

    /// This configuration with `name`'s build root as the build stack (nil: the default stack),
    /// or `unknown_stack` naming the stacks there are.
    public func on(stack name: String?) throws -> Self {
        guard let name, name != stackName else { return self }
        guard let stack = stacks.first(where: { $0.name == name }) else {
            let known = allStacks.map(\.name).joined(separator: ", ")
            throw BuildError(
                code: BuildError.Code.unknownStack,
                message: "this platform has no stack '\(name.prefix(40))' (it has \(known)); choose one with 'paas stack:set'")
        }
        var configuration = self
        configuration.stackName = stack.name
        configuration.buildStackPath = stack.rootPath
        return configuration
    }

    /// `PAAS_STACKS`: every stack with its versions, `NAME:python=X.Y.Z,go=X.Y.Z,node=X.Y.Z`,
    /// space-separated (read from each build root's `/etc/paas-stack`).
    public var stacksEnvironment: String {
        Stack.environmentValue(allStacks.map(\.info))
    }
}
