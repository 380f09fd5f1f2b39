#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaasCore

/// One stack of the platform as the operator configured it: its name and root filesystems
/// (`stacks/build-stack` prints them). A host that only runs apps has no build root; one that
/// only builds has no run root.
public struct PlatformStack: Sendable, Equatable {
    /// The stack's name, e.g. `trixie`.
    public var name: String
    /// Root filesystem apps run on (`stacks/build-stack trixie-run DATA_DIR`).
    public var runRoot: String?
    /// Root filesystem builds run on (`stacks/build-stack trixie-build DATA_DIR`).
    public var buildRoot: String?

    public init(name: String, runRoot: String?, buildRoot: String?) {
        self.name = name
        self.runRoot = runRoot
        self.buildRoot = buildRoot
    }

    /// Parses `NAME=RUN_ROOT:BUILD_ROOT` (either root may be empty: `NAME=RUN_ROOT:` on a host
    /// that only runs apps), the value of `--stack`.
    public init(argument: String) throws {
        let usage = "--stack takes NAME=RUN_ROOT:BUILD_ROOT, e.g. trixie=/var/lib/paas/stacks/trixie-run-…:/var/lib/paas/stacks/trixie-build-… (the paths stacks/build-stack prints)"
        guard let equals = argument.firstIndex(of: "="), let colon = argument[equals...].firstIndex(of: ":") else {
            throw PlatformError("\(usage); got '\(argument)'.")
        }
        let name = String(argument[..<equals])
        guard Stack.isValidName(name) else { throw PlatformError("\(usage). \(Stack.nameRule) Got '\(name)'.") }
        let run = String(argument[argument.index(after: equals)..<colon])
        let build = String(argument[argument.index(after: colon)...])
        guard !run.isEmpty || !build.isEmpty else { throw PlatformError("\(usage): stack \(name) has neither root.") }
        for path in [run, build] where !path.isEmpty && !path.hasPrefix("/") {
            throw PlatformError("\(usage): '\(path)' is not an absolute path.")
        }
        self.init(name: name, runRoot: run.isEmpty ? nil : run, buildRoot: build.isEmpty ? nil : build)
    }

    /// What the stack records about itself (`/etc/paas-stack`), from its build root, else its run root.
    public var info: Stack {
        for root in [buildRoot, runRoot].compactMap({ $0 }) {
            if let text = try? String(contentsOfFile: root + "/etc/paas-stack", encoding: .utf8) {
                return Stack(infoFile: text, name: name)
            }
        }
        return Stack(name: name)
    }
}
