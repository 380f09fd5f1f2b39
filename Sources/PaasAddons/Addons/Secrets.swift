/// Random passwords, and scrubbing them out of text that may end up in errors or logs.
enum Secrets {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A random alphanumeric password of `length` characters (uniform, from the system's CSPRNG).
    static func password(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// `text` with every occurrence of each secret replaced by `[REDACTED]`.
    static func scrub(_ text: String, _ secrets: [String]) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacing(secret, with: "[REDACTED]")
        }
        return text
    }
}
