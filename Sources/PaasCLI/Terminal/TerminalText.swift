/// Text from apps (their log lines) made safe to print on an operator's terminal: control
/// characters that a terminal would act on (escape sequences that set the title, write the
/// clipboard or move the cursor; carriage returns that overwrite a line) are shown as `\xNN`
/// instead. Tabs stay. Output that is not a terminal is left byte for byte as it is.
enum TerminalText {
    /// `text` with every C0 control but tab, DEL and every C1 control written as `\xNN`.
    static func visible(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            out.append(contentsOf: ("\\x" + (hex.count == 1 ? "0" + hex : hex)).unicodeScalars)
        }
        return String(out)
    }
}
