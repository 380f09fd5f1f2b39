import PaasBlobs
import PaasTesting
import Testing

@testable import PaasBuild

/// Builds on a stack of the request's choosing: real runc containers on the bookworm build root
/// (PAAS_TEST_BUILD_STACK) and the trixie one (PAAS_TEST_BUILD_STACK_TRIXIE).
@Suite(.tags(.large), .serialized)
struct SlugBuilderStackTests {
    @Test func aBuildRunsOnItsRequestsStackAndSeesEveryStackInPaasStacks() async throws {
        var harness = try BuildHarness()
        defer { harness.remove() }
        harness.configuration.stacks = [
            BuildStack(name: "bookworm", rootPath: harness.configuration.buildStackPath),
            BuildStack(name: "trixie", rootPath: try TestStacks.trixieBuildStack()),
        ]
        let reporter = try harness.buildpack(
            "reporter", detect: "Reporter",
            compile: """
                echo "       stack $STACK"
                echo "       stacks $PAAS_STACKS"
                echo "       python $(python3 -c 'import sys; print(sys.version.split()[0])') go $(go env GOVERSION)"
                """,
            release: "---\ndefault_process_types:\n  web: sleep 1")
        for (stack, python, go) in [("trixie", "3.13.", "go1.24."), ("bookworm", "3.11.", "go1.19.")] {
            let source = try await harness.source(nil, named: "src-\(stack)")
            try TestFiles.write(reporter + "\n", to: source + "/.buildpacks")
            let output = OutputLines()
            let id = uniqueBuildID(stack)
            let request = BuildRequest(buildID: id, appName: "test-app", sourceDirectory: source, config: [:], stack: stack)
            let result = try await harness.builder.build(request) { await output.append($0) }
            let text = await output.text
            #expect(result.stack == stack)
            #expect(text.hasPrefix("-----> Building on the \(stack) stack\n"), "\(text)")
            #expect(text.contains("       stack \(stack)\n"), "\(text)")
            #expect(text.contains("       python \(python)"), "\(text)")
            #expect(text.contains(" go \(go)"), "\(text)")
            let line = text.split(separator: "\n").first { $0.hasPrefix("       stacks ") } ?? ""
            let entries = line.dropFirst("       stacks ".count).split(separator: " ")
            #expect(entries.count == 2, "\(line)")
            #expect(entries.first?.hasPrefix("bookworm:python=3.11.") == true, "\(line)")
            #expect(entries.first?.contains(",go=1.19.") == true, "\(line)")
            #expect(entries.first?.contains(",node=18.") == true, "\(line)")
            #expect(entries.last?.hasPrefix("trixie:python=3.13.") == true, "\(line)")
            #expect(entries.last?.contains(",go=1.24.") == true, "\(line)")
            #expect(entries.last?.contains(",node=20.") == true, "\(line)")
            try await harness.expectCleanedUp(id)
        }
    }

    @Test func anUnknownStackIsRefusedBeforeAnythingRuns() async throws {
        let harness = try BuildHarness()
        defer { harness.remove() }
        let source = try await harness.source(nil)
        let id = uniqueBuildID("unknown")
        let request = BuildRequest(buildID: id, appName: "test-app", sourceDirectory: source, config: [:], stack: "jessie")
        await #expect {
            _ = try await harness.builder.build(request) { _ in }
        } throws: { error in
            guard let error = error as? BuildError else { return false }
            return error.code == "unknown_stack" && error.message.contains("no stack 'jessie' (it has bookworm)")
        }
        try await harness.expectCleanedUp(id)
    }
}
