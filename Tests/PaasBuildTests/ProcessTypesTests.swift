import PaasTesting
import Testing

@testable import PaasBuild

@Suite(.tags(.small))
struct ProcessTypesTests {
    @Test func procfileLinesBecomeProcessTypes() throws {
        let types = try ProcessTypes.parseProcfile(
            """
            # the app's processes
            web: gunicorn app:app --bind 0.0.0.0:$PORT

            worker:python worker.py --queue=a:b\r
            release : ./migrate
            """)
        #expect(
            types == [
                "web": "gunicorn app:app --bind 0.0.0.0:$PORT", "worker": "python worker.py --queue=a:b",
                "release": "./migrate",
            ])
    }

    @Test(arguments: [
        ("web: ok\njust a command\n", "Procfile line 2"),
        ("web: ok\n9lives: run\n", "Procfile line 2"),
        ("web:\n", "Procfile line 1"),
        ("web: a\nweb: b\n", "Procfile line 2"),
    ])
    func malformedProcfileNamesTheLine(text: String, expected: String) throws {
        let error = try #require(throws: BuildError.self) { try ProcessTypes.parseProcfile(text) }
        #expect(error.code == BuildError.Code.invalidProcessTypes)
        #expect(error.message.hasPrefix(expected), "\(error.message)")
    }

    @Test func releaseDefaultsAreRead() throws {
        #expect(
            try ProcessTypes.parseRelease("---\ndefault_process_types:\n  web: python app.py\n", buildpack: "python")
                == ["web": "python app.py"])
        #expect(
            try ProcessTypes.parseRelease(
                "---\ndefault_process_types:\n  web: \"node -e \\\"a: b\\\"\"\n", buildpack: "nodejs")
                == ["web": "node -e \"a: b\""])
        #expect(try ProcessTypes.parseRelease("--- {}\n", buildpack: "procfile") == [:])
        #expect(try ProcessTypes.parseRelease("", buildpack: "x") == [:])
        #expect(try ProcessTypes.parseRelease("---\naddons: []\ndefault_process_types:\n", buildpack: "x") == [:])
    }

    @Test func invalidReleaseOutputNamesTheBuildpack() throws {
        let error = try #require(throws: BuildError.self) {
            try ProcessTypes.parseRelease("- just\n- a list\n", buildpack: "custom")
        }
        #expect(error.message == "bin/release of custom printed YAML that is not a mapping")
        #expect(throws: BuildError.self) { try ProcessTypes.parseRelease("default_process_types: [web]\n", buildpack: "x") }
        #expect(throws: BuildError.self) { try ProcessTypes.parseRelease("a: [b\n", buildpack: "x") }
    }

    @Test func lastBuildpackDefaultsWithProcfileOnTop() {
        let releases = [["web": "first", "console": "irb"], ["web": "second", "rake": "rake"]]
        #expect(ProcessTypes.merge(procfile: nil, releases: releases) == ["web": "second", "rake": "rake"])
        #expect(
            ProcessTypes.merge(procfile: ["web": "mine", "worker": "work"], releases: releases)
                == ["web": "mine", "worker": "work", "rake": "rake"])
        #expect(ProcessTypes.merge(procfile: ["web": "mine"], releases: [["web": "a"], [:]]) == ["web": "mine"])
        #expect(ProcessTypes.merge(procfile: nil, releases: []) == [:])
    }
}
