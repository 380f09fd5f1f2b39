import PaasContainers
import PaasCore

/// A stack builds can run on: its name and its build root (`stacks/build-stack trixie-build
/// DATA_DIR` prints it). Its versions are read from the root's `/etc/paas-stack`.
public struct BuildStack: Sendable, Equatable {
    /// The stack's name, e.g. `trixie`: given to buildpacks as `STACK`, recorded with the slug.
    public var name: String
    /// The build root's path.
    public var rootPath: String

    public init(name: String, rootPath: String) {
        self.name = name
        self.rootPath = rootPath
    }

    /// The stack with the versions its `/etc/paas-stack` records (none when the file is missing,
    /// e.g. a root built before stacks recorded them).
    public var info: Stack {
        Stack(infoFile: HostFiles.read(rootPath + "/etc/paas-stack") ?? "", name: name)
    }
}
