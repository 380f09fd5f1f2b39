import PaasAPI
import Testing

@testable import PaasRunner

@Suite(.tags(.small)) struct RunnerStacksTests {
    static let configuration = ContainerLauncherFactory.Configuration(
        stacks: ["bookworm": "/stacks/run-1", "trixie": "/stacks/trixie-run-2"], defaultStack: "bookworm",
        slugRunnerPath: "/bin/slug-runner", containersDirectory: "/tmp/containers")

    @Test func aProcessRunsOnTheRunRootOfItsStack() throws {
        #expect(try Self.configuration.stackPath(for: "trixie") == "/stacks/trixie-run-2")
        #expect(try Self.configuration.stackPath(for: "bookworm") == "/stacks/run-1")
        #expect(try Self.configuration.stackPath(for: nil) == "/stacks/run-1", "a request naming no stack gets the default")
    }

    @Test func anUnknownStackIsAClearError() {
        #expect {
            try Self.configuration.stackPath(for: "jessie")
        } throws: { error in
            guard let error = error as? RunnerError else { return false }
            return error.code == "unknown_stack" && error.kind == .invalid
                && error.message.hasPrefix("This runner has no stack 'jessie' (it has: bookworm, trixie).")
        }
    }

    @Test func theSingleStackConfigurationIsBookworm() throws {
        let single = ContainerLauncherFactory.Configuration(
            stackPath: "/stacks/run-1", slugRunnerPath: "/bin/slug-runner", containersDirectory: "/tmp/c")
        #expect(single.stacks == ["bookworm": "/stacks/run-1"])
        #expect(throws: RunnerError.self) { try single.stackPath(for: "trixie") }
    }
}
