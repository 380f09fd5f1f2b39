#if canImport(Glibc)
import Glibc
#endif

/// The stacks tests build and run on. `scripts/test` builds them (stacks/build-stack) and passes
/// their paths; a test that needs one fails, never skips, when it is missing.
public enum TestStacks {
    /// The build stack's root filesystem, from `PAAS_TEST_BUILD_STACK`.
    public static func buildStack() throws -> String {
        try stack("PAAS_TEST_BUILD_STACK", name: "build")
    }

    /// The run stack's root filesystem, from `PAAS_TEST_RUN_STACK`.
    public static func runStack() throws -> String {
        try stack("PAAS_TEST_RUN_STACK", name: "run")
    }

    /// The trixie stack's build root, from `PAAS_TEST_BUILD_STACK_TRIXIE`.
    public static func trixieBuildStack() throws -> String {
        try stack("PAAS_TEST_BUILD_STACK_TRIXIE", name: "trixie-build")
    }

    /// The trixie stack's run root, from `PAAS_TEST_RUN_STACK_TRIXIE`.
    public static func trixieRunStack() throws -> String {
        try stack("PAAS_TEST_RUN_STACK_TRIXIE", name: "trixie-run")
    }

    private static func stack(_ variable: String, name: String) throws -> String {
        guard let path = getenv(variable).map({ String(cString: $0) }), !path.isEmpty else {
            throw TestFailure(
                "\(variable) is not set: run the tests with scripts/test, or set it to the output of 'stacks/build-stack \(name) /var/tmp/paas-stacks-test'.")
        }
        guard access(path + "/.ready", F_OK) == 0 else {
            throw TestFailure("\(variable) is \(path), which is not a complete stack (no .ready). Rebuild it with stacks/build-stack \(name).")
        }
        return path
    }
}
