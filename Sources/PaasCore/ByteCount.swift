/// Sizes in the words the platform's messages use.
public enum ByteCount {
    /// "2 GiB", "64 MiB", "300 bytes" for limits (binary units, whole numbers only); with
    /// `decimal`, "12.3 MB" or "42 KB" for sizes (one digit, rounded).
    public static func describe(_ bytes: Int64, decimal: Bool = false) -> String {
        if decimal {
            if bytes < 100_000 { return "\((bytes + 999) / 1000) KB" }
            let tenths = (bytes + 50_000) / 100_000
            return "\(tenths / 10).\(tenths % 10) MB"
        }
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
