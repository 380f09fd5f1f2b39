import PaasCore
import Testing

@Suite(.tags(.small)) struct FormationTests {
    @Test func webDefaultsToOneOnceASlugDefinesIt() {
        let formation = Formation(scaled: [:], processTypes: ["web": "python app.py", "worker": "python w.py"])
        #expect(formation.entries == [
            .init(type: "web", quantity: 1, command: "python app.py"),
            .init(type: "worker", quantity: 0, command: "python w.py"),
        ])
    }

    @Test func scaledQuantitiesWinOverDefaults() {
        let formation = Formation(scaled: ["web": 3, "worker": 2], processTypes: ["web": "a", "worker": "b"])
        #expect(formation.entries.map(\.quantity) == [3, 2])
    }

    @Test func typesScaledBeforeAnySlugAreKeptUntilASlugDefinesTypes() {
        #expect(Formation(scaled: ["web": 2], processTypes: [:]).entries == [.init(type: "web", quantity: 2, command: nil)])
        #expect(Formation(scaled: ["clock": 1], processTypes: ["web": "a"]).entries.map(\.type) == ["web"])
    }

    @Test func refusesUnknownTypesOnlyWhenTheReleaseDefinesTypes() {
        #expect(Formation.problem(with: ["wrker": 1], processTypes: [:]) == nil)
        let problem = Formation.problem(with: ["wrker": 1], processTypes: ["web": "a", "worker": "b"])
        #expect(problem?.contains("no process type 'wrker'") == true)
        #expect(problem?.contains("web, worker") == true)
    }

    @Test func refusesOutOfRangeQuantitiesAndBadNames() {
        #expect(Formation.problem(with: ["web": -1], processTypes: [:]) != nil)
        #expect(Formation.problem(with: ["web": 101], processTypes: [:]) != nil)
        #expect(Formation.problem(with: ["bad type": 1], processTypes: [:]) != nil)
        #expect(Formation.problem(with: [:], processTypes: [:]) != nil)
    }
}
