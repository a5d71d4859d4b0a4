/// A GitHub-flavoured Markdown table with aligned columns.
///
/// A column can have a maximum width (`maxWidths`): a longer cell is wrapped at spaces (a word longer than the
/// width after `_`, `/` or `-`, else cut) over continuation rows whose other cells are empty, so the text stays
/// readable as plain text and the table stays valid Markdown (rendered, the continuation is one more row).
/// The header row can be aligned apart from the body (`headerAlignments`): block labels read left to right over
/// right-aligned numbers.
public struct MarkdownTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    /// How the header row is padded (default: as the body).
    public var headerAlignments: [Alignment]?
    /// The widest a body cell may be in each column before it wraps (nil: no limit).
    public var maxWidths: [Int?]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil, maxWidths: [Int?]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        self.maxWidths = maxWidths ?? headers.map { _ in nil }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The body rows as printed: every row's cells wrapped to the column's maximum width, continuation rows after it.
    func physicalRows() -> [[String]] {
        var out: [[String]] = []
        for row in rows {
            let cells = row.enumerated().map { i, cell -> [String] in
                let text = MarkdownTable.escape(cell)
                guard i < maxWidths.count, let width = maxWidths[i], text.count > width else { return [text] }
                return MarkdownTable.wrap(text, width: width)
            }
            let height = cells.map(\.count).max() ?? 1
            for k in 0..<max(1, height) { out.append(cells.map { k < $0.count ? $0[k] : "" }) }
        }
        return out
    }

    /// The width of each column as `render` pads it.
    public func columnWidths() -> [Int] {
        var widths = headers.map { max(3, MarkdownTable.escape($0).count) }
        for row in physicalRows() { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return widths
    }

    /// The length of the table's widest line.
    public func lineWidth() -> Int {
        let widths = columnWidths()
        return widths.reduce(0, +) + 3 * widths.count + 1
    }

    public func render() -> String {
        let body = physicalRows()
        let head = headers.map(MarkdownTable.escape)
        let widths = columnWidths()
        func line(_ cells: [String], _ align: [Alignment]) -> String {
            let padded = cells.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return align[i] == .right ? pad + cell : cell + pad
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { i, w in
            alignments[i] == .right ? " " + String(repeating: "-", count: w - 1) + ": " : " " + String(repeating: "-", count: w) + " "
        }.joined(separator: "|") + "|"
        return ([line(head, headerAlignments ?? alignments), rule] + body.map { line($0, alignments) }).joined(separator: "\n") + "\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// `text` in lines of at most `width` characters, broken at spaces; a longer word is broken after its last
    /// `_`, `/` or `-` that fits, else cut. Used for wrapped cells and for prose under a table.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        func pieces(_ word: Substring) -> [String] {
            var rest = String(word)
            var out: [String] = []
            while rest.count > width {
                let head = rest.prefix(width)
                let cut = head.lastIndex { "_/-".contains($0) }.map { head.index(after: $0) } ?? head.endIndex
                out.append(String(rest[..<cut]))
                rest = String(rest[cut...])
            }
            out.append(rest)
            return out
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            for (k, piece) in pieces(word).enumerated() {
                // The first piece of a word goes after a space when it fits; the rest of a broken word starts a line.
                if k == 0 && (current.isEmpty || current.count + 1 + piece.count <= width) {
                    current = current.isEmpty ? piece : current + " " + piece
                } else {
                    if !current.isEmpty { lines.append(current) }
                    current = piece
                }
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }

    /// Prose (a title, a legend) in lines of at most `width` characters, for Markdown: the lines of one
    /// paragraph, joined by line breaks.
    public static func paragraph(_ text: String, width: Int = 160) -> String {
        text.count <= width ? text : wrap(text, width: width).joined(separator: "\n")
    }
}

/// Number formatting for people: thousands grouped, fixed decimals, no locale surprises.
public enum NumberFormat {
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        var digits = String(Int64(rounded))
        if decimals > 0 {
            while digits.count <= decimals { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (x < 0 && rounded != 0 ? "-" : "") + digits
    }

    /// Shortest form that round-trips (for exact values in machine-readable output).
    public static func exact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "" : (x > 0 ? "inf" : "-inf") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
