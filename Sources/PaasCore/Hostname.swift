/// Rules for custom domain host names (RFC 1123 labels, lowercased, with an optional leading `*.` wildcard).
public enum Hostname {
    /// The rule in words, for error messages.
    public static let rule =
        "A domain is a host name like www.example.com or *.example.com: at least two dot-separated labels of letters, digits and dashes (no leading or trailing dash), at most 253 characters."

    /// Returns the lowercased host name, or nil when `name` is not a valid host name.
    public static func normalized(_ name: String) -> String? {
        let lowered = name.lowercased()
        guard !lowered.isEmpty, lowered.utf8.count <= 253 else { return nil }
        var labels = lowered.split(separator: ".", omittingEmptySubsequences: false)
        if labels.first == "*" { labels.removeFirst() }
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return nil }
            let allowed = label.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
            }
            guard allowed else { return nil }
        }
        guard let top = labels.last, top.contains(where: { !$0.isNumber }) else { return nil }
        return lowered
    }
}
