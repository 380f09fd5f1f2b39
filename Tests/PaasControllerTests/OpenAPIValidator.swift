// A small JSON Schema validator for the subset `Sources/PaasAPI/openapi.yaml` uses (OpenAPI 3.0
// flavour: `nullable`, `$ref` into the document). Written for the conformance tests, so it is
// strict: a keyword it does not know is a problem, not something to skip silently.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON value as a response carried it, keeping integers apart from other numbers.
enum JSONValue: Equatable, Sendable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document.
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Parses a JSON document given as text.
    static func parse(_ text: String) throws -> JSONValue {
        try parse(Data(text.utf8))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Order matters: JSONDecoder refuses `true` as a number and `2.5` as an Int, so each
        // value lands in the narrowest case that fits.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The JSON Schema type name of the value (`integer` for whole numbers).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ","))]"
        case .object(let members): "{\(members.keys.sorted().map { "\"\($0)\":\(members[$0]!)" }.joined(separator: ","))}"
        }
    }

    /// The member `key` of an object, nil otherwise.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, when the value is one.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// Checks JSON values against schemas of an OpenAPI document. Supported keywords: `$ref` (to
/// `#/...` in the same document), `type` (with `integer` apart from `number`), `properties`,
/// `required`, `additionalProperties` (a bool or a schema), `minProperties`, `items`, `enum`,
/// `nullable`, `pattern`, `format` (`date-time`, `uuid`, `uri`, `int64`, checked loosely),
/// `minimum`, `maximum`; annotations (`description`, `example`, `title`) are ignored.
struct OpenAPIValidator {
    /// The whole OpenAPI document, for `$ref`s.
    let document: [String: Any]

    private static let annotations: Set<String> = ["description", "example", "title"]
    private static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "minProperties", "items", "enum",
        "nullable", "pattern", "format", "minimum", "maximum",
    ]

    /// What is wrong with `value` under `schema`, one line per problem with a JSON path; empty when it conforms.
    func problems(with value: JSONValue, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] {
            guard let reference = reference as? String, let target = resolve(reference) else {
                return ["\(path): cannot resolve $ref \(reference)"]
            }
            return problems(with: value, against: target, at: path)
        }
        var found: [String] = []
        for keyword in schema.keys where !Self.keywords.contains(keyword) && !Self.annotations.contains(keyword) {
            found.append("\(path): the validator does not support the schema keyword '\(keyword)'")
        }
        if value == .null {
            if schema["nullable"] as? Bool == true { return found }
            if schema["type"] != nil { return found + ["\(path): is null, but the schema is not nullable"] }
        }
        if let type = schema["type"] as? String, !Self.value(value, hasType: type) {
            return found + ["\(path): expected \(type), found \(value.typeName) \(value)"]
        }
        if let allowed = schema["enum"] as? [Any] {
            if !allowed.contains(where: { Self.value(value, equals: $0) }) {
                found.append("\(path): \(value) is not one of \(allowed)")
            }
        }
        switch value {
        case .string(let text):
            found += stringProblems(text, schema: schema, at: path)
        case .integer(let number):
            found += numberProblems(Double(number), schema: schema, at: path)
        case .number(let number):
            found += numberProblems(number, schema: schema, at: path)
        case .array(let items):
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() {
                    found += problems(with: item, against: itemSchema, at: "\(path)[\(index)]")
                }
            }
        case .object(let members):
            found += objectProblems(members, schema: schema, at: path)
        case .null, .bool:
            break
        }
        return found
    }

    /// The schema a local `$ref` such as `#/components/schemas/App` points at.
    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for component in reference.dropFirst(2).split(separator: "/") {
            let key = component.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = node as? [String: Any], let next = object[key] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// Follows `$ref`s until the object is not a reference (for responses and parameters).
    func dereference(_ object: [String: Any]) -> [String: Any]? {
        var current = object
        for _ in 0..<10 {
            guard let reference = current["$ref"] as? String else { return current }
            guard let target = resolve(reference) else { return nil }
            current = target
        }
        return nil
    }

    private func objectProblems(_ members: [String: JSONValue], schema: [String: Any], at path: String) -> [String] {
        var found: [String] = []
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for key in schema["required"] as? [String] ?? [] where members[key] == nil {
            found.append("\(path): required property '\(key)' is missing")
        }
        if let minimum = schema["minProperties"] as? Int, members.count < minimum {
            found.append("\(path): has \(members.count) properties, fewer than \(minimum)")
        }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            let memberPath = "\(path).\(key)"
            if let propertySchema = properties[key] as? [String: Any] {
                found += problems(with: member, against: propertySchema, at: memberPath)
            } else if let additional = schema["additionalProperties"] {
                if let allowed = additional as? Bool {
                    if !allowed { found.append("\(memberPath): property is not in the schema") }
                } else if let additionalSchema = additional as? [String: Any] {
                    found += problems(with: member, against: additionalSchema, at: memberPath)
                }
            }
        }
        return found
    }

    private func stringProblems(_ text: String, schema: [String: Any], at path: String) -> [String] {
        var found: [String] = []
        if let pattern = schema["pattern"] as? String {
            do {
                let regex = try Regex(pattern)
                if (try? regex.firstMatch(in: text)) == nil {
                    found.append("\(path): \"\(text)\" does not match \(pattern)")
                }
            } catch {
                found.append("\(path): the schema's pattern \(pattern) is not a valid regular expression")
            }
        }
        if let format = schema["format"] as? String, let check = Self.formats[format], (try? check.wholeMatch(in: text)) == nil {
            found.append("\(path): \"\(text)\" is not a \(format)")
        }
        return found
    }

    private func numberProblems(_ number: Double, schema: [String: Any], at path: String) -> [String] {
        var found: [String] = []
        if let minimum = Self.double(schema["minimum"]), number < minimum {
            found.append("\(path): \(number) is less than the minimum \(minimum)")
        }
        if let maximum = Self.double(schema["maximum"]), number > maximum {
            found.append("\(path): \(number) is more than the maximum \(maximum)")
        }
        return found
    }

    /// Loose checks for string formats: the shape, not every calendar rule.
    nonisolated(unsafe) private static let formats: [String: Regex<AnyRegexOutput>] = [
        "date-time": try! Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"#),
        "uuid": try! Regex(#"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#),
        "uri": try! Regex(#"[a-zA-Z][a-zA-Z0-9+.-]*://\S+"#),
    ]

    private static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer),
            ("number", .integer), ("number", .number):
            true
        default:
            false
        }
    }

    private static func value(_ value: JSONValue, equals yaml: Any) -> Bool {
        switch value {
        case .string(let text): (yaml as? String) == text
        case .integer(let number): (yaml as? Int) == number
        case .bool(let flag): (yaml as? Bool) == flag
        case .number(let number): double(yaml) == number
        case .null, .array, .object: false
        }
    }

    private static func double(_ yaml: Any?) -> Double? {
        if let number = yaml as? Int { return Double(number) }
        return yaml as? Double
    }
}
