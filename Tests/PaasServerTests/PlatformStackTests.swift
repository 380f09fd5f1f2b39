import PaasServer
import Testing

@Suite(.tags(.small)) struct PlatformStackTests {
    @Test func aStackArgumentNamesBothRoots() throws {
        let stack = try PlatformStack(argument: "trixie=/s/trixie-run-1:/s/trixie-build-2")
        #expect(stack == PlatformStack(name: "trixie", runRoot: "/s/trixie-run-1", buildRoot: "/s/trixie-build-2"))
        #expect(try PlatformStack(argument: "trixie=/s/run:") == PlatformStack(name: "trixie", runRoot: "/s/run", buildRoot: nil))
        #expect(try PlatformStack(argument: "trixie=:/s/build") == PlatformStack(name: "trixie", runRoot: nil, buildRoot: "/s/build"))
    }

    @Test(arguments: ["trixie", "trixie=/s/run", "Trixie=/a:/b", "=/a:/b", "trixie=:", "trixie=relative:/b"])
    func badStackArgumentsAreRefusedSayingTheForm(_ argument: String) {
        #expect {
            try PlatformStack(argument: argument)
        } throws: { error in
            String(describing: error).contains("--stack takes NAME=RUN_ROOT:BUILD_ROOT")
        }
    }

    @Test func theLegacyFlagsMakeBookwormAndTheDefaultMustBeAStack() throws {
        var configuration = PlatformConfiguration()
        configuration.runStackPath = "/s/run"
        configuration.buildStackPath = "/s/build"
        configuration.extraStacks = [PlatformStack(name: "trixie", runRoot: "/s/trun", buildRoot: "/s/tbuild")]
        try configuration.validateStacks()
        #expect(configuration.stacks.map(\.name) == ["bookworm", "trixie"])
        #expect(configuration.runStacks == ["bookworm": "/s/run", "trixie": "/s/trun"])
        #expect(configuration.buildStacks.map(\.rootPath) == ["/s/build", "/s/tbuild"])

        configuration.defaultStack = "trixie"
        try configuration.validateStacks()
        configuration.defaultStack = "jessie"
        #expect { try configuration.validateStacks() } throws: { error in
            String(describing: error).contains("--default-stack jessie is not one of this platform's stacks (bookworm, trixie)")
        }

        configuration.defaultStack = "bookworm"
        configuration.extraStacks.append(PlatformStack(name: "bookworm", runRoot: "/x", buildRoot: "/y"))
        #expect { try configuration.validateStacks() } throws: { error in
            String(describing: error).contains("given twice")
        }
    }

    @Test func aDefaultStackWithoutARunRootIsRefusedWhenOthersHaveOne() {
        var configuration = PlatformConfiguration()
        configuration.extraStacks = [
            PlatformStack(name: "bookworm", runRoot: nil, buildRoot: "/b"),
            PlatformStack(name: "trixie", runRoot: "/r", buildRoot: "/t"),
        ]
        #expect { try configuration.validateStacks() } throws: { error in
            String(describing: error).contains("The default stack bookworm has no run root")
        }
    }
}
