#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaasTesting
import Testing

@Suite(.tags(.medium))
struct LoginCommandTests {
    @Test func loginWritesAPrivateConfigThatLaterCommandsUse() async throws {
        try await CLISandbox.withRunning { sandbox in
            let url = sandbox.platform.apiURL
            let login = try await sandbox.paas("login", "--api", url, "--token", sandbox.platform.adminToken, loggedIn: false)
            #expect(login.status == 0, "\(login.stderr)")
            #expect(login.stdout == "Logged in to \(url) as admin\n")

            var info = stat()
            #expect(stat(sandbox.configPath, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
            #expect(stat(sandbox.root + "/config/paas", &info) == 0)
            #expect(info.st_mode & 0o777 == 0o700)
            let saved = try #require(FileManager.default.contents(atPath: sandbox.configPath))
            let object = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: String])
            #expect(object == ["api_url": url, "token": sandbox.platform.adminToken])

            let create = try await sandbox.paas("apps:create", "from-config", loggedIn: false)
            #expect(create.status == 0, "\(create.stderr)")
            let list = try await sandbox.paas("apps", loggedIn: false)
            #expect(list.lines.dropFirst().map { $0.split(separator: " ").first } == ["from-config"])
        }
    }
}

extension LoginCommandTests {
    @Test func loginReadsTheTokenFromStdinWithTokenDash() async throws {
        try await CLISandbox.withRunning { sandbox in
            let url = sandbox.platform.apiURL
            let login = try await sandbox.paas(
                "login", "--api", url + "/", "--token", "-", loggedIn: false, stdin: sandbox.platform.adminToken + "\n")
            #expect(login.status == 0, "\(login.stderr)")
            #expect(login.stdout == "Logged in to \(url) as admin\n")
            let saved = try #require(FileManager.default.contents(atPath: sandbox.configPath))
            #expect(String(decoding: saved, as: UTF8.self).contains("\"api_url\" : \"\(url)\""))
        }
    }

    @Test func aWrongTokenIsRefusedAndNothingIsSaved() async throws {
        try await CLISandbox.withRunning { sandbox in
            let login = try await sandbox.paas("login", "--api", sandbox.platform.apiURL, "--token", "not-a-token", loggedIn: false)
            #expect(login.status == 1)
            #expect(login.stdout.isEmpty)
            #expect(login.stderr == "error: The API token is not valid. Run 'paas login' with a current token.\n")
            #expect(!FileManager.default.fileExists(atPath: sandbox.configPath))
        }
    }

    @Test func withoutATokenCommandsSayHowToLogIn() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps", loggedIn: false)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr
                    == "error: Not logged in. Run 'paas login --api URL --token TOKEN' (the token is in /var/lib/paas/admin-token).\n")
        }
    }

    @Test func aTokenFlagOverridesTheEnvironment() async throws {
        try await CLISandbox.withRunning { sandbox in
            let result = try await sandbox.paas("apps", "--token", "wrong-token")
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error: The API token is not valid."))
        }
    }

    @Test func aBrokenConfigFileIsReportedAndLoginRepairsIt() async throws {
        try await CLISandbox.withRunning { sandbox in
            try FileManager.default.createDirectory(
                atPath: sandbox.root + "/config/paas", withIntermediateDirectories: true)
            try Data("not json".utf8).write(to: URL(fileURLWithPath: sandbox.configPath))

            let broken = try await sandbox.paas("apps", loggedIn: false)
            #expect(broken.status == 1)
            #expect(broken.stderr.hasPrefix("error: The config file \(sandbox.configPath) is not valid JSON"))
            // Flags and environment that say everything do not need the file.
            #expect(try await sandbox.paas("apps").status == 0)

            let login = try await sandbox.paas(
                "login", "--api", sandbox.platform.apiURL, "--token", sandbox.platform.adminToken, loggedIn: false)
            #expect(login.status == 0, "\(login.stderr)")
            #expect(try await sandbox.paas("apps", loggedIn: false).status == 0)
        }
    }
}
