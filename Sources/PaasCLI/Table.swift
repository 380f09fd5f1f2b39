/// A borderless table: an UPPERCASE header and columns separated by two spaces.
struct Table: Sendable, Equatable {
    /// Column titles; printed uppercased.
    var header: [String]
    /// The cells, one array per row, in header order.
    var rows: [[String]]

    init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The table as lines, without trailing spaces.
    func lines() -> [String] {
        let all = [header.map { $0.uppercased() }] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                line += isLast ? cell : cell.padded(to: widths[index] + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// Prints the table to stdout.
    func print() {
        for line in lines() { Output.data(line) }
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (unchanged when already that long).
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
