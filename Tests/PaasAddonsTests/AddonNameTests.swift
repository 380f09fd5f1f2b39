import PaasAddons
import PaasTesting
import Testing

@Suite(.tags(.small))
struct AddonNameTests {
    @Test(arguments: ["mysql-shapely-12345", "abc", "db1", "my-db-2", String(repeating: "a", count: 41)])
    func acceptsValidNames(name: String) throws {
        #expect(try AddonName.validated(name).rawValue == name)
    }

    @Test(arguments: ["", "ab", "1db", "-db", "db-", "my--db", "My-db", "my_db", "my.db", "db;drop", "é-db", String(repeating: "a", count: 42)])
    func refusesInvalidNamesSayingTheRule(name: String) {
        #expect(AddonName(name) == nil)
        let error = #expect(throws: AddonError.self) { try AddonName.validated(name) }
        #expect(error?.code == .invalidAddonName)
        #expect(error?.message.contains("--as NAME") == true)
    }

    @Test(arguments: [AddonKind.mysql, .postgresql, .redis])
    func generatedNamesAreValidAndNamedAfterTheKind(kind: AddonKind) {
        for _ in 0..<200 {
            let name = AddonNames.generate(for: kind)
            #expect(AddonName.isValid(name.rawValue))
            #expect(name.rawValue.hasPrefix(kind.rawValue + "-"))
            #expect(name.rawValue.split(separator: "-").last.map { $0.count == 5 && Int($0) != nil } == true)
        }
    }

    @Test func identifierReplacesDashesWithUnderscores() throws {
        #expect(try AddonName.validated("mysql-shapely-12345").identifier == "mysql_shapely_12345")
    }
}
