import ArgumentParser
@testable import PaasCLI
import PaasTesting
import Testing

@Suite(.tags(.small))
struct CLIUnitTests {
    @Test func tablesHaveAnUppercaseHeaderTwoSpaceGapsAndNoTrailingSpaces() {
        let table = Table(header: ["Name", "Current release"], rows: [["misty-river-1234", "v3"], ["a", "-"]])
        #expect(table.lines() == [
            "NAME              CURRENT RELEASE",
            "misty-river-1234  v3",
            "a                 -",
        ])
    }

    @Test func fieldsAlignValuesAfterTheLongestName() {
        #expect(Output.fields([("FOO", "bar"), ("GREETING", "hi there"), ("EMPTY", "")]) == [
            "FOO:      bar",
            "GREETING: hi there",
            "EMPTY:",
        ])
    }

    @Test(arguments: [
        ("http://127.0.0.1:5100/misty-river-1234.git", "misty-river-1234"),
        ("https://paas.example.com/app.git/", "app"),
        ("git@example.com:shop.git", "shop"),
        ("http://127.0.0.1:5100/shop", nil),
        ("http://127.0.0.1:5100/.git", nil),
    ] as [(String, String?)])
    func appNamesComeFromGitURLsEndingInAppDotGit(url: String, expected: String?) {
        #expect(GitRemote.appName(fromURL: url) == expected)
    }

    @Test func assignmentsSplitAtTheFirstEqualsSign() throws {
        let parsed = try ConfigVarFormat.parseAssignments(["A=1", "B=x=y z", "EMPTY="])
        #expect(parsed.map(\.key) == ["A", "B", "EMPTY"])
        #expect(parsed.map(\.value) == ["1", "x=y z", ""])
        #expect(throws: ValidationError.self) { try ConfigVarFormat.parseAssignments(["FOO"]) }
        #expect(throws: ValidationError.self) { try ConfigVarFormat.parseAssignments(["=bar"]) }
        #expect(throws: ValidationError.self) { try ConfigVarFormat.parseAssignments([]) }
    }

    @Test func shellQuotingSurvivesSpacesAndQuotes() {
        #expect(ConfigVarFormat.shellQuoted("plain-value_1.2") == "plain-value_1.2")
        #expect(ConfigVarFormat.shellQuoted("a b") == "'a b'")
        #expect(ConfigVarFormat.shellQuoted("it's") == "'it'\\''s'")
        #expect(ConfigVarFormat.shellQuoted("") == "''")
    }

    @Test func scaleArgumentsAreTypeEqualsWholeNumber() throws {
        #expect(try PsScale.parse(["web=2", "worker=0"]) == ["web": 2, "worker": 0])
        for bad in ["web=x", "web", "=2", "web=-1", "web=1.5", "web=２"] {
            #expect(throws: ValidationError.self, "\(bad)") { try PsScale.parse([bad]) }
        }
    }

    @Test func releaseVersionsAreVNOrN() {
        #expect(ReleaseVersion(argument: "v3")?.number == 3)
        #expect(ReleaseVersion(argument: "12")?.number == 12)
        for bad in ["v", "v0", "x3", "-1", "v+2", "3v"] { #expect(ReleaseVersion(argument: bad) == nil, "\(bad)") }
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheConfigFile() throws {
        let file = StoredLogin(apiURL: "http://file:5100", token: "file-token")
        let fromFile = try CLIConfiguration.resolve(apiFlag: nil, tokenFlag: nil, environment: [:], file: file)
        #expect(fromFile == CLIConfiguration(apiURL: "http://file:5100", token: "file-token"))

        let environment = ["PAAS_API_URL": "http://env:5100/", "PAAS_TOKEN": "env-token"]
        let fromEnvironment = try CLIConfiguration.resolve(apiFlag: nil, tokenFlag: nil, environment: environment, file: file)
        #expect(fromEnvironment == CLIConfiguration(apiURL: "http://env:5100", token: "env-token"))

        let fromFlags = try CLIConfiguration.resolve(
            apiFlag: "http://flag:5100", tokenFlag: "flag-token", environment: environment, file: file)
        #expect(fromFlags == CLIConfiguration(apiURL: "http://flag:5100", token: "flag-token"))
    }

    @Test func theSavedTokenIsOnlySentToTheAPIItWasSavedFor() throws {
        let file = StoredLogin(apiURL: "http://file:5100/", token: "file-token")
        let other = try CLIConfiguration.resolve(apiFlag: "http://other:5100", tokenFlag: nil, environment: [:], file: file)
        #expect(other.token == nil)
        let same = try CLIConfiguration.resolve(apiFlag: "http://file:5100", tokenFlag: nil, environment: [:], file: file)
        #expect(same.token == "file-token")
    }

    @Test func withNothingConfiguredTheDefaultAPIIsUsedAndThereIsNoToken() throws {
        let configuration = try CLIConfiguration.resolve(
            apiFlag: nil, tokenFlag: nil, environment: ["PAAS_CONFIG": "/nonexistent/paas/config.json"])
        #expect(configuration == CLIConfiguration(apiURL: "http://127.0.0.1:5100", token: nil))
        #expect(throws: CLIError.self) { try configuration.makeClient() }
    }
}

/// What an app prints cannot drive the operator's terminal through `paas logs`.
@Suite(.tags(.small))
struct TerminalTextTests {
    @Test func plainLinesAndTabsStayAsTheyAre() {
        #expect(TerminalText.visible("2026-12-06T12:00:00.000001Z app[web.1]: a\tb é") == "2026-12-06T12:00:00.000001Z app[web.1]: a\tb é")
    }

    @Test func escapesCarriageReturnsAndC1ControlsAreShownNotObeyed() {
        #expect(TerminalText.visible("x \u{1b}]0;pwned\u{07}") == "x \\x1b]0;pwned\\x07")
        #expect(TerminalText.visible("ok\r2026 paas[deploy]: fake") == "ok\\x0d2026 paas[deploy]: fake")
        #expect(TerminalText.visible("\u{9b}31m\u{7f}") == "\\x9b31m\\x7f")
    }
}
