// `Sources/PaasAPI/openapi.yaml` loaded for tests: its operations, matching of concrete request
// paths to templated ones, and the documented response for a status.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Yams

/// The controller's OpenAPI document, as plain dictionaries (`[String: Any]`, `[Any]`, scalars).
struct OpenAPISpec {
    /// One path + method of the document.
    struct Operation: Hashable, CustomStringConvertible {
        /// The templated path, e.g. `/v1/apps/{app}`.
        var path: String
        /// Upper-case HTTP method.
        var method: String

        var description: String { "\(method) \(path)" }
    }

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The document as loaded.
    let document: [String: Any]
    /// A validator resolving `$ref`s in this document.
    var validator: OpenAPIValidator { OpenAPIValidator(document: document) }

    /// The repository's `openapi.yaml`, parsed once per test run: a parse takes about a second
    /// of a debug build's CPU, on one of the few threads every test's tasks share.
    static func load() throws -> OpenAPISpec { try parsed.get() }

    /// Read-only once made, so sharing it between tests is safe.
    nonisolated(unsafe) private static let parsed = Result { try parse() }

    private static func parse() throws -> OpenAPISpec {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PaasAPI/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let document = normalized(try Yams.load(yaml: text)) as? [String: Any] else {
            throw SpecError("openapi.yaml is not a YAML mapping")
        }
        return OpenAPISpec(document: document)
    }

    /// Every operation of the document.
    var operations: [Operation] {
        let paths = document["paths"] as? [String: Any] ?? [:]
        return paths.flatMap { path, item in
            ((item as? [String: Any]) ?? [:]).keys
                .filter { Self.methods.contains($0) }
                .map { Operation(path: path, method: $0.uppercased()) }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// The operation object of `operation`.
    func object(of operation: Operation) -> [String: Any] {
        let item = (document["paths"] as? [String: Any])?[operation.path] as? [String: Any]
        return item?[operation.method.lowercased()] as? [String: Any] ?? [:]
    }

    /// The documented operation serving `method` on a concrete `path` (query ignored), if any.
    /// A literal segment beats a `{parameter}` when both match.
    func operation(method: String, path: String) -> Operation? {
        let segments = Self.segments(of: String(path.prefix { $0 != "?" }))
        var best: (operation: Operation, literals: Int)?
        for candidate in operations where candidate.method == method.uppercased() {
            let template = Self.segments(of: candidate.path)
            guard template.count == segments.count else { continue }
            var literals = 0
            let matches = zip(template, segments).allSatisfy { pattern, segment in
                if pattern.hasPrefix("{") && pattern.hasSuffix("}") { return !segment.isEmpty }
                literals += 1
                return pattern == segment
            }
            if matches && literals > (best?.literals ?? -1) { best = (candidate, literals) }
        }
        return best?.operation
    }

    /// Whether the document has any operation on the concrete `path`, whatever the method.
    func hasPath(_ path: String) -> Bool {
        Self.methods.contains { operation(method: $0, path: path) != nil }
    }

    /// The documented statuses of `operation`, e.g. `["200", "401"]`.
    func statuses(of operation: Operation) -> Set<String> {
        Set((object(of: operation)["responses"] as? [String: Any] ?? [:]).keys)
    }

    /// The response object for `status`, with its `$ref` followed.
    func response(of operation: Operation, status: Int) -> [String: Any]? {
        guard let raw = (object(of: operation)["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return nil
        }
        return validator.dereference(raw)
    }

    /// The JSON schema of a response or request body object, when it has JSON content.
    static func jsonSchema(of object: [String: Any]) -> [String: Any]? {
        let content = object["content"] as? [String: Any]
        return (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    /// The request body object of `operation`, with its `$ref` followed.
    func requestBody(of operation: Operation) -> [String: Any]? {
        guard let raw = object(of: operation)["requestBody"] as? [String: Any] else { return nil }
        return validator.dereference(raw)
    }

    private static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// Turns what Yams returns (`[AnyHashable: Any]`, keys that may be numbers) into `[String: Any]` trees.
    private static func normalized(_ node: Any?) -> Any? {
        switch node {
        case let mapping as [AnyHashable: Any]:
            var object: [String: Any] = [:]
            for (key, value) in mapping { object["\(key.base)"] = normalized(value) }
            return object
        case let sequence as [Any]:
            return sequence.map { normalized($0) as Any }
        default:
            return node
        }
    }
}

/// A problem with the OpenAPI document itself.
struct SpecError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
