import PaasCore
import PaasSupport
import Yams

/// The process types of a slug: the `default_process_types` of the last buildpack's `bin/release`,
/// with the app's `Procfile` on top.
///
/// As on Heroku, only the last buildpack's release output counts for the defaults (a buildpack
/// without `bin/release` has none and is passed over), and a Procfile entry replaces the default of the same name while the other defaults stay.
public enum ProcessTypes {
    /// Parses a Procfile: one `name: command` a line; blank lines and `#` comments are skipped.
    ///
    /// Throws `invalid_process_types` naming the first bad line: a line without `name: command`,
    /// a name that is not a valid process type, an empty command, or a name given twice.
    public static func parseProcfile(_ text: String) throws -> [String: String] {
        var types: [String: String] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(rawLine).trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            guard let colon = line.firstIndex(of: ":") else {
                throw invalid(line: number, text: line, problem: "expected 'name: command'")
            }
            let name = String(line[..<colon]).trimmed
            let command = String(line[line.index(after: colon)...]).trimmed
            guard ProcessTypeName.isValid(name) else {
                throw invalid(line: number, text: line, problem: "'\(name.prefix(40))' is not a process type name")
            }
            guard !command.isEmpty else { throw invalid(line: number, text: line, problem: "the command is empty") }
            guard types[name] == nil else {
                throw invalid(line: number, text: line, problem: "'\(name)' is declared twice")
            }
            types[name] = command
        }
        return types
    }

    /// Reads the `default_process_types` from a buildpack's `bin/release` output (YAML).
    ///
    /// Empty output, `--- {}` and a release without the key give no types.
    public static func parseRelease(_ yaml: String, buildpack: String) throws -> [String: String] {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch {
            throw BuildError(
                code: BuildError.Code.invalidProcessTypes,
                message: "bin/release of \(buildpack) printed invalid YAML", cause: error)
        }
        guard let document, document.null == nil else { return [:] }
        guard let release = document.mapping else {
            throw BuildError(
                code: BuildError.Code.invalidProcessTypes,
                message: "bin/release of \(buildpack) printed YAML that is not a mapping")
        }
        guard let defaults = release["default_process_types"], defaults.null == nil else { return [:] }
        guard let mapping = defaults.mapping else {
            throw BuildError(
                code: BuildError.Code.invalidProcessTypes,
                message: "bin/release of \(buildpack) printed default_process_types that are not a mapping")
        }
        var types: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, ProcessTypeName.isValid(name), let command = value.scalar?.string else {
                throw BuildError(
                    code: BuildError.Code.invalidProcessTypes,
                    message: "bin/release of \(buildpack) printed an invalid default process type")
            }
            types[name] = command
        }
        return types
    }

    /// The slug's process types: the last release's defaults, overridden by the Procfile's entries.
    public static func merge(procfile: [String: String]?, releases: [[String: String]]) -> [String: String] {
        (releases.last ?? [:]).merging(procfile ?? [:]) { _, fromProcfile in fromProcfile }
    }

    private static func invalid(line: Int, text: String, problem: String) -> BuildError {
        let shown = text.count > 60 ? text.prefix(57) + "..." : Substring(text)
        return BuildError(
            code: BuildError.Code.invalidProcessTypes,
            message: "Procfile line \(line) is malformed (\(problem)): \(shown)")
    }
}
