import PaasContainers

#if canImport(Glibc)
import Glibc
#endif

/// The patterns of an app's `.slugignore`: files the build deletes before compiling.
///
/// One gitignore-style pattern a line; blank lines and lines starting with `#` are skipped.
/// Patterns match paths relative to the app root. A leading `/`, or a `/` inside the pattern,
/// anchors it to the root (`/docs`, `doc/*.pdf`); otherwise it matches a name at any depth
/// (`*.psd`). A trailing `/` matches directories only. `*` and `?` stay within one path
/// component, `**` spans any number of components, `[...]` is a character class. There is no
/// negation (as on Heroku). A matched directory is deleted with all it holds.
public struct SlugIgnore: Sendable, Equatable {
    struct Pattern: Sendable, Equatable {
        var components: [String]
        var anchored: Bool
        var directoryOnly: Bool
    }

    var patterns: [Pattern]

    /// Reads the patterns from the text of a `.slugignore` file.
    public init(_ text: String) {
        patterns = text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            var line = Substring(rawLine)
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let directoryOnly = line.hasSuffix("/")
            if directoryOnly { line.removeLast() }
            let anchored = line.contains("/")
            let components = line.split(separator: "/").map(String.init)
            guard !components.isEmpty else { return nil }
            return Pattern(components: components, anchored: anchored, directoryOnly: directoryOnly)
        }
    }

    /// Whether there are no patterns.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether the path (relative to the app root, `/`-separated) is matched by a pattern.
    public func matches(_ relativePath: String, isDirectory: Bool) -> Bool {
        let path = relativePath.split(separator: "/").map(String.init)
        return patterns.contains { pattern in
            if pattern.directoryOnly && !isDirectory { return false }
            if pattern.anchored { return Self.match(pattern.components[...], path[...]) }
            return path.last.map { Self.matchComponent(pattern.components[0], $0) } ?? false
        }
    }

    /// Deletes every file and directory under `directory` that a pattern matches; returns the
    /// deleted paths, relative to `directory`, in the order they were removed.
    public func apply(to directory: String) throws -> [String] {
        guard !isEmpty else { return [] }
        var removed: [String] = []
        try BuildError.adopting { try walk(directory, relative: "", removed: &removed) }
        return removed
    }

    private func walk(_ root: String, relative: String, removed: inout [String]) throws {
        let here = relative.isEmpty ? root : root + "/" + relative
        for name in try HostFiles.children(of: here) {
            let path = relative.isEmpty ? name : relative + "/" + name
            let isDirectory = HostFiles.isDirectory(root + "/" + path)
            if matches(path, isDirectory: isDirectory) {
                try HostFiles.remove(root + "/" + path)
                removed.append(path)
            } else if isDirectory {
                try walk(root, relative: path, removed: &removed)
            }
        }
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            return (path.startIndex...path.endIndex).contains { match(rest, path[$0...]) }
        }
        guard let name = path.first, matchComponent(first, name) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchComponent(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
