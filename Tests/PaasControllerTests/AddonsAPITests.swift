// Add-ons through the API on a real platform: a managed MariaDB (and PostgreSQL), the real
// `mariadb` client connecting with the URLs the app is given.
import Foundation
import PaasAPI
import PaasClient
import PaasTesting
import Testing

@Suite(.tags(.medium)) struct AddonsAPITests {
    @Test func attachingSetsTheURLsInOneReleaseAndNoCredentialShowsAnywhereElse() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            let addon = try await client.addAddon(app: "shop", kind: "mysql")
            #expect(addon.name.hasPrefix("mysql-"))
            #expect(addon.configVars == ["DATABASE_URL", "MYSQL_URL"])
            let config = try await client.config(app: "shop")
            let url = try #require(config["MYSQL_URL"])
            #expect(config["DATABASE_URL"] == url)
            let release = try #require(try await client.releases(app: "shop").first)
            #expect(release.description == "Attach \(addon.name)")
            #expect(release.version == 2 && addon.release == 2, "one release for both vars")
            let database = try #require(DatabaseURLClient(url))
            #expect(try await database.canConnect())

            let password = try #require(URL(string: url)?.password)
            for path in ["/v1/apps/shop/addons", "/v1/apps/shop/addons/\(addon.name)", "/v1/apps/shop/events"] {
                let answer = try await platform.request("GET", path)
                #expect(answer.status == 200)
                #expect(!answer.text.contains(password), "\(path) shows the password")
                #expect(!answer.text.contains("mysql://"), "\(path) shows the URL")
            }
            #expect(try await client.addons(app: "shop").map(\.name) == [addon.name])

            // A second database leaves DATABASE_URL to the first.
            let second = try await client.addAddon(app: "shop", kind: "postgresql", name: "shop-reports")
            #expect(second.configVars == ["POSTGRES_URL"])
            let after = try await client.config(app: "shop")
            #expect(after["DATABASE_URL"] == url)
            #expect(try await DatabaseURLClient(configVar: "POSTGRES_URL", of: after).canConnect())
        }
    }

    @Test func removingDropsTheDatabaseUnsetsItsVarsAndItsCredentialsNoLongerConnect() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            _ = try await client.updateConfig(app: "shop", ["GREETING": "hi"])
            let addon = try await client.addAddon(app: "shop", kind: "mysql", name: "shop-db")
            let database = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await client.config(app: "shop"))
            #expect(try await database.run("CREATE TABLE t (x int)").status == 0)

            try await client.removeAddon(app: "shop", name: addon.name)
            #expect(try await client.config(app: "shop") == ["GREETING": "hi"])
            #expect(try await client.releases(app: "shop").first?.description == "Detach shop-db")
            #expect(try await client.addons(app: "shop").isEmpty)
            #expect(try await database.canConnect() == false, "the user was dropped")
            let gone = try await platform.request("GET", "/v1/apps/shop/addons/shop-db")
            #expect(gone.status == 404 && gone.text.contains("addon_not_found"))
            // The name is free again, and a new add-on of it starts empty.
            _ = try await client.addAddon(app: "shop", kind: "mysql", name: "shop-db")
            let fresh = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await client.config(app: "shop"))
            #expect(try await fresh.run("SELECT count(*) FROM t").status != 0, "the old table went with the database")
        }
    }

    @Test func aDatabaseURLSetByHandIsKeptOnAttachAndOnDetach() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            _ = try await client.updateConfig(app: "shop", ["DATABASE_URL": "postgres://elsewhere/db"])
            let addon = try await client.addAddon(app: "shop", kind: "mysql")
            #expect(addon.configVars == ["MYSQL_URL"])
            #expect(try await client.config(app: "shop")["DATABASE_URL"] == "postgres://elsewhere/db")
            try await client.removeAddon(app: "shop", name: addon.name)
            #expect(try await client.config(app: "shop") == ["DATABASE_URL": "postgres://elsewhere/db"])
        }
    }

    @Test func unknownKindsBadNamesAndTakenNamesAreRefusedAndLeaveNothing() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            _ = try await client.createApp(name: "other")
            let unknown = try await platform.request("POST", "/v1/apps/shop/addons", json: #"{"kind":"oracle"}"#)
            #expect(unknown.status == 422)
            #expect(unknown.text.contains("unknown_addon_kind") && unknown.text.contains("mysql, postgresql, redis"), "\(unknown.text)")
            let bad = try await platform.request("POST", "/v1/apps/shop/addons", json: #"{"kind":"mysql","name":"Bad_Name"}"#)
            #expect(bad.status == 422 && bad.text.contains("invalid_addon_name"), "\(bad.text)")
            _ = try await client.addAddon(app: "shop", kind: "redis", name: "cache")
            let taken = try await platform.request("POST", "/v1/apps/other/addons", json: #"{"kind":"mysql","name":"cache"}"#)
            #expect(taken.status == 409 && taken.text.contains("addon_already_exists"), "\(taken.text)")
            #expect(try await client.releases(app: "other").count == 1, "no release for refused attaches")
            #expect(try await client.addons(app: "other").isEmpty)
        }
    }

    @Test func aProvisioningFailureLeavesNoAddonAndNoConfigVar() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            // The managed PostgreSQL cannot make its cluster where a file stands in the way.
            try FileManager.default.createDirectory(atPath: platform.dataDirectory + "/addons", withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: platform.dataDirectory + "/addons/postgresql"))
            let failed = try await platform.request("POST", "/v1/apps/shop/addons", json: #"{"kind":"postgresql","name":"doomed"}"#)
            #expect(failed.status == 503 && failed.text.contains("addon_server_unavailable"), "\(failed.text)")
            #expect(try await client.addons(app: "shop").isEmpty)
            #expect(try await client.config(app: "shop").isEmpty)
            #expect(try await client.releases(app: "shop").count == 1)
        }
    }

    @Test func destroyingTheAppDropsItsAddons() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            _ = try await client.addAddon(app: "shop", kind: "mysql", name: "shop-db")
            let database = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await client.config(app: "shop"))
            #expect(try await database.canConnect())
            try await client.destroyApp("shop")
            #expect(try await database.canConnect() == false)
            // The name is free again: the add-on record went with the app.
            _ = try await client.createApp(name: "shop")
            #expect(try await client.addAddon(app: "shop", kind: "mysql", name: "shop-db").name == "shop-db")
        }
    }

    @Test func aBackupBringsDeletedRowsBack() async throws {
        try await TestPlatform.withRunning { platform in
            let client = platform.client
            _ = try await client.createApp(name: "shop")
            let addon = try await client.addAddon(app: "shop", kind: "mysql")
            let database = try DatabaseURLClient(configVar: "MYSQL_URL", of: try await client.config(app: "shop"))
            let created = try await database.run("CREATE TABLE items (v text); INSERT INTO items VALUES ('kept'), ('also kept')")
            #expect(created.status == 0, "\(created.stderr)")
            let backup = try await client.backupAddon(app: "shop", name: addon.name)
            #expect(backup.number == 1 && backup.size > 0, "\(backup)")
            let deleted = try await database.run("DELETE FROM items; SELECT count(*) FROM items")
            #expect(deleted.status == 0 && deleted.stdout == "0\n", "\(deleted.stdout) \(deleted.stderr)")

            #expect(try await client.addonBackups(app: "shop", name: addon.name) == [backup])
            _ = try await client.restoreAddon(app: "shop", name: addon.name, backup: 1)
            let restored = try await database.run("SELECT v FROM items ORDER BY v")
            #expect(restored.stdout == "also kept\nkept\n", "\(restored.stdout) \(restored.stderr)")
            let missing = try await platform.request("POST", "/v1/apps/shop/addons/\(addon.name)/backups/7/restore")
            #expect(missing.status == 404 && missing.text.contains("backup_not_found"), "\(missing.text)")
        }
    }
}
