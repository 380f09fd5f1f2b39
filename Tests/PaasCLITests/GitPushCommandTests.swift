import Foundation
import PaasAPI
import PaasTesting
import Testing

/// The developer's path: log in, `paas apps:create` in a repository, a plain `git push paas main`.
@Suite(.tags(.large))
struct GitPushCommandTests {
    @Test func aPlainGitPushAuthenticatesThroughTheCredentialHelperAndBuildsAreListed() async throws {
        try await CLISandbox.withRunning(builds: true) { sandbox in
            let login = try await sandbox.paas(
                "login", "--api", sandbox.platform.apiURL, "--token", sandbox.platform.adminToken, loggedIn: false)
            #expect(login.status == 0, "\(login.stderr)")
            let tree = try await GitWorkTree.create(
                at: sandbox.root + "/site", home: sandbox.root + "/home",
                copying: TestBinaries.packageRoot + "/buildpacks/test/fixtures/static-public")
            let create = try await sandbox.paas("apps:create", "site", loggedIn: false, in: tree.path)
            #expect(create.status == 0, "\(create.stderr)")

            // git alone, with only the CLI's config file to find the token in.
            let push = try await tree.git(["push", "paas", "main"], environment: ["PAAS_CONFIG": sandbox.configPath])
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stderr.contains("remote:        Released v2"), "\(push.stderr)")

            let builds = try await sandbox.paas("builds", loggedIn: false, in: tree.path)
            #expect(builds.status == 0, "\(builds.stderr)")
            #expect(builds.lines.first?.hasPrefix("BUILD  STATUS") == true, "\(builds.stdout)")
            #expect(builds.lines.dropFirst().first?.hasPrefix("1      succeeded  \(try await tree.revision().prefix(7))") == true, "\(builds.stdout)")
            let json = try await sandbox.paas("builds", "--json", loggedIn: false, in: tree.path)
            #expect(try json.decoded([BuildResource].self).map(\.releaseVersion) == [2])
            let output = try await sandbox.paas("builds:output", loggedIn: false, in: tree.path)
            #expect(output.stdout.hasPrefix("-----> Building site from commit"), "\(output.stdout)")
            #expect(output.stdout.contains("Released v2"))
        }
    }

    @Test func psAndLogsShowTheRunningProcessesAndTheirOutput() async throws {
        try await CLISandbox.withRunning(builds: true, runs: true) { sandbox in
            let tree = try await GitWorkTree.create(
                at: sandbox.root + "/site", home: sandbox.root + "/home",
                copying: TestBinaries.packageRoot + "/buildpacks/test/fixtures/static-public")
            #expect(try await sandbox.paas("apps:create", "site", in: tree.path).status == 0)
            let push = try await tree.git(
                ["push", "paas", "main"], environment: ["PAAS_API_URL": sandbox.platform.apiURL, "PAAS_TOKEN": sandbox.platform.adminToken])
            #expect(push.status == 0, "\(push.stderr)")

            let ps = try await sandbox.paas("ps", in: tree.path)
            #expect(ps.status == 0, "\(ps.stderr)")
            #expect(ps.lines.first?.hasPrefix("PROCESS  STATE  SINCE") == true, "\(ps.stdout)")
            #expect(ps.lines.dropFirst().first?.hasPrefix("web.1    up     ") == true, "\(ps.stdout)")
            #expect(ps.lines.dropFirst().first?.contains(" v2       10.215.") == true, "\(ps.stdout)")
            let json = try await sandbox.paas("ps", "--json", in: tree.path)
            #expect(try json.decoded([ProcessResource].self).map(\.id) == ["site.v2.web.1"])

            let logs = try await sandbox.paas("logs", in: tree.path)
            #expect(logs.status == 0, "\(logs.stderr)")
            #expect(logs.lines.contains { $0.hasSuffix(" paas[web.1]: Started (v2)") }, "\(logs.stdout)")
            #expect(logs.lines.contains { $0.hasSuffix(" paas[deploy]: v2 deployed") }, "\(logs.stdout)")
            let run = try await sandbox.paas("run", "--env", "WHO=cli", "--", "echo hello $WHO from $DYNO; exit 4", in: tree.path)
            #expect(run.status == 4, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("hello cli from run."), "\(run.stdout)")
            #expect(run.stderr.contains("Process exited with status 4"), "\(run.stderr)")
            let fine = try await sandbox.paas("run", "--", "ls", "public", in: tree.path)
            #expect(fine.status == 0, "\(fine.stderr)")
            #expect(fine.lines.contains("index.html"), "\(fine.stdout)")
            let onlyDeploys = try await sandbox.paas("logs", "-p", "deploy", in: tree.path)
            #expect(onlyDeploys.lines.allSatisfy { $0.contains(" paas[deploy]: ") } && !onlyDeploys.lines.isEmpty, "\(onlyDeploys.stdout)")
        }
    }

    @Test func gitCredentialAnswersGetWithTheTokenAndIgnoresTheRest() async throws {
        try await CLISandbox.withRunning { sandbox in
            let request = "protocol=http\nhost=127.0.0.1\npath=site.git\n\n"
            let get = try await sandbox.paas("git:credential", "get", stdin: request)
            #expect(get.status == 0, "\(get.stderr)")
            #expect(get.stdout == "username=paas\npassword=\(sandbox.platform.adminToken)\n")
            let store = try await sandbox.paas("git:credential", "store", stdin: request + "username=paas\npassword=x\n")
            #expect(store.status == 0)
            #expect(store.stdout.isEmpty)
        }
    }

    @Test func gitRemotePointsARemoteAtTheAppWithTheCredentialHelper() async throws {
        try await CLISandbox.withRunning { sandbox in
            try await sandbox.createApp("shop")
            let repository = try await sandbox.makeGitRepository("shop")
            let result = try await sandbox.paas("git:remote", "-a", "shop", "-r", "deploy", in: repository)
            #expect(result.status == 0, "\(result.stderr)")
            let gitURL = try await sandbox.platform.client.app("shop").gitURL
            #expect(try await sandbox.git(["remote", "get-url", "deploy"], in: repository).stdout == gitURL + "\n")
            let helpers = try await sandbox.git(["config", "--get-all", "credential.\(sandbox.platform.apiURL).helper"], in: repository)
            #expect(helpers.lines.last?.hasSuffix("' git:credential") == true, "\(helpers.stdout)")
            let outside = try await sandbox.paas("git:remote", "-a", "shop")
            #expect(outside.status == 1)
            #expect(outside.stderr.contains("not a git repository"))
        }
    }
}
