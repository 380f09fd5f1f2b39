import PaasCore
import Testing

@Suite(.tags(.small)) struct StackTests {
    @Test func theInfoFileGivesTheNameAndTheKnownToolsVersions() {
        let stack = Stack(infoFile: """
            # written by build-stack; read by the platform
            name=trixie
            recipe=trixie-build-06f7d53cc568
            debian=13.8
            python=3.13.5
            go=1.24.4\r
              node=20.19.2
            garbage line
            ruby=
            """)
        #expect(stack.name == "trixie")
        #expect(stack.versions == ["python": "3.13.5", "go": "1.24.4", "node": "20.19.2"])
        #expect(stack.environmentEntry == "trixie:python=3.13.5,go=1.24.4,node=20.19.2")
    }

    @Test func aGivenNameWinsAndMissingToolsAreLeftOut() {
        let stack = Stack(infoFile: "name=other\npython=3.11.2\nnode=18.20.4\n", name: "bookworm")
        #expect(stack.environmentEntry == "bookworm:python=3.11.2,node=18.20.4")
        #expect(Stack(infoFile: "", name: "bare").environmentEntry == "bare")
    }

    @Test func paasStacksListsEveryStackSpaceSeparated() {
        let value = Stack.environmentValue([
            Stack(name: "bookworm", versions: ["python": "3.11.2", "go": "1.19.8", "node": "18.20.4"]),
            Stack(name: "trixie", versions: ["python": "3.13.5", "go": "1.24.4", "node": "20.19.2"]),
        ])
        #expect(value == "bookworm:python=3.11.2,go=1.19.8,node=18.20.4 trixie:python=3.13.5,go=1.24.4,node=20.19.2")
    }

    @Test(arguments: ["bookworm", "trixie", "heroku-24", "a"]) func validNames(_ name: String) {
        #expect(Stack.isValidName(name))
    }

    @Test(arguments: ["", "Trixie", "1stack", "a b", "a/b", "a:b", String(repeating: "a", count: 41)])
    func invalidNames(_ name: String) {
        #expect(!Stack.isValidName(name))
    }
}
