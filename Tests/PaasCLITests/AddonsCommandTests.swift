import Foundation
import PaasAPI
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct AddonsCommandTests {
    @Test func addListAndInfoShowNamesAndVarNamesButNoCredentials() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("shop")
            let empty = try await sandbox.paas("addons", "-a", "shop")
            #expect(empty.status == 0 && empty.stdout.isEmpty)
            #expect(empty.stderr.hasPrefix("shop has no add-ons."))

            let added = try await sandbox.paas("addons:create", "mysql", "--as", "shop-db", "-a", "shop")
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout == "shop-db\n")
            #expect(added.stderr.contains("Creating a mysql add-on for shop... done, v2"), "\(added.stderr)")
            #expect(added.stderr.contains("Created shop-db as DATABASE_URL, MYSQL_URL"), "\(added.stderr)")

            let listed = try await sandbox.paas("addons", "-a", "shop")
            #expect(listed.lines.first == "NAME     KIND   CONFIG VARS              CREATED")
            #expect(listed.lines.dropFirst().first?.hasPrefix("shop-db  mysql  DATABASE_URL, MYSQL_URL  ") == true, "\(listed.stdout)")
            let info = try await sandbox.paas("addons:info", "shop-db", "-a", "shop")
            #expect(info.status == 0)
            #expect(info.lines.prefix(3) == ["=== shop-db", "Kind:        mysql", "App:         shop"], "\(info.stdout)")

            let url = try #require(try await sandbox.platform.client.config(app: "shop")["MYSQL_URL"])
            let password = try #require(URL(string: url)?.password)
            for result in [added, listed, info, try await sandbox.paas("addons", "-a", "shop", "--json")] {
                #expect(!(result.stdout + result.stderr).contains(password))
            }
        }
    }

    @Test func removeNeedsTheAppsNameAndThenDropsTheDatabase() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("shop")
            let added = try await sandbox.paas("addons:add", "mysql", "-a", "shop")
            let name = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(name.hasPrefix("mysql-"), "\(added.stderr)")
            let database = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await sandbox.platform.client.config(app: "shop"))

            let refused = try await sandbox.paas("addons:remove", name, "-a", "shop", "--confirm", "other")
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("error: This is destructive: re-run with --confirm shop"), "\(refused.stderr)")
            #expect(try await database.canConnect(), "a refused remove keeps the add-on")

            let removed = try await sandbox.paas("addons:destroy", name, "-a", "shop", "--confirm", "shop")
            #expect(removed.status == 0, "\(removed.stderr)")
            #expect(removed.stderr == "Removing \(name) from shop... done\n")
            #expect(try await database.canConnect() == false)
            #expect(try await sandbox.platform.client.config(app: "shop").isEmpty)
        }
    }

    @Test func unknownKindsAndBadNamesAreRefusedWithWhatToDo() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("shop")
            let unknown = try await sandbox.paas("addons:add", "oracle", "-a", "shop")
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("No add-on kind 'oracle'. Available kinds: mysql, postgresql, redis."), "\(unknown.stderr)")
            let bad = try await sandbox.paas("addons:add", "mysql", "--as", "Bad_Name", "-a", "shop")
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("'Bad_Name' is not a valid add-on name."), "\(bad.stderr)")
        }
    }

    @Test func backupThenRestoreBringsRowsBack() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("shop")
            #expect(try await sandbox.paas("addons:add", "mysql", "--as", "shop-db", "-a", "shop").status == 0)
            let database = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await sandbox.platform.client.config(app: "shop"))
            #expect(try await database.run("CREATE TABLE items (v text); INSERT INTO items VALUES ('kept')").status == 0)

            let backup = try await sandbox.paas("addons:backup", "shop-db", "-a", "shop")
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stdout == "1\n")
            let backups = try await sandbox.paas("addons:backups", "shop-db", "-a", "shop")
            #expect(backups.lines.first?.hasPrefix("BACKUP  SIZE") == true, "\(backups.stdout)")
            #expect(backups.lines.count == 2)

            #expect(try await database.run("DELETE FROM items").status == 0)
            let restored = try await sandbox.paas("addons:restore", "shop-db", "1", "-a", "shop")
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(try await database.run("SELECT v FROM items").stdout == "kept\n")
        }
    }
}
