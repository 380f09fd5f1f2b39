import PaasAddons
import Testing

@Suite(.tags(.small))
struct AdminURLTests {
    @Test func parsesAllParts() throws {
        let url = try #require(AdminURL("postgres://admin:p%40ss@db.example:6543/postgres?sslmode=disable"))
        #expect(url.scheme == "postgres")
        #expect(url.user == "admin")
        #expect(url.password == "p@ss")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "postgres")
        #expect(url.description == "postgres://admin@db.example:6543/postgres")
    }

    @Test func portAndDatabaseAreOptional() throws {
        let url = try #require(AdminURL("mysql://root:secret@10.0.0.5"))
        #expect(url.port == nil)
        #expect(url.database == nil)
        #expect(!url.description.contains("secret"))
    }

    @Test(arguments: ["db.example:3306", "mysql://db.example", "mysql://root:x@db:99999", "mysql://:x@db"])
    func refusesWhatIsNotAnAdminURL(text: String) {
        #expect(AdminURL(text) == nil)
    }
}
