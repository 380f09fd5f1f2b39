import PaasCore
import Testing

@Suite(.tags(.small)) struct AppNameTests {
    @Test(arguments: ["ab", "myapp", "my-app-2", "a1", String(repeating: "a", count: 30)])
    func acceptsValidNames(_ name: String) {
        #expect(AppName(name)?.rawValue == name)
    }

    @Test(arguments: ["", "a", "1app", "-app", "My-App", "my_app", "my.app", "my app", String(repeating: "a", count: 31), "äpp", "addons"])
    func rejectsInvalidNames(_ name: String) {
        #expect(AppName(name) == nil)
    }

    @Test func randomNamesAreReadableAndValid() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let name = AppName.random(using: &generator).rawValue
            let parts = name.split(separator: "-")
            #expect(parts.count == 3)
            #expect(Int(parts[2]).map { (1000...9999).contains($0) } == true)
            #expect(AppName.isValid(name))
        }
    }
}

@Suite(.tags(.small)) struct ConfigVarNameTests {
    @Test(arguments: ["FOO", "_x", "DATABASE_URL", "a1"])
    func acceptsShellNames(_ name: String) { #expect(ConfigVarName.isValid(name)) }

    @Test(arguments: ["", "1FOO", "FOO-BAR", "FOO BAR", "FOO=1", "É"])
    func rejectsOthers(_ name: String) { #expect(!ConfigVarName.isValid(name)) }
}

@Suite(.tags(.small)) struct HostnameTests {
    @Test func normalizesCase() { #expect(Hostname.normalized("WWW.Example.COM") == "www.example.com") }

    @Test func acceptsWildcards() { #expect(Hostname.normalized("*.example.com") == "*.example.com") }

    @Test(arguments: ["localhost", "example", "-a.com", "a-.com", "a..com", "*.com", "a.*.com", "1.2.3.4", "exa mple.com", "ex_ample.com", ""])
    func rejectsInvalid(_ name: String) { #expect(Hostname.normalized(name) == nil) }
}

@Suite(.tags(.small)) struct ReleaseDescriptionTests {
    @Test func describesConfigChanges() {
        #expect(ReleaseDescription.configChange(set: ["FOO"], unset: []) == "Set FOO config var")
        #expect(ReleaseDescription.configChange(set: ["BAR", "FOO"], unset: []) == "Set BAR, FOO config vars")
        #expect(ReleaseDescription.configChange(set: [], unset: ["OLD"]) == "Unset OLD config var")
        #expect(ReleaseDescription.configChange(set: ["A"], unset: ["B"]) == "Set A and unset B config vars")
    }

    @Test func describesDeploysWithShortSHA() {
        #expect(ReleaseDescription.deploy(commit: "1a2b3c4d5e6f") == "Deploy 1a2b3c4")
        #expect(ReleaseDescription.rollback(to: 3) == "Rollback to v3")
    }
}

/// A deterministic generator so random-name tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
