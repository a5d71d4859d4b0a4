/// Writes CSV text: RFC 4180 quoting, and text cells made safe for spreadsheets (a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe, unless it is a plain number).
public struct CSVWriter: Sendable {
    public var delimiter: Character
    public private(set) var text = ""

    public init(header: [String], delimiter: Character = ",") {
        self.delimiter = delimiter
        row(header)
    }

    public mutating func row(_ cells: [String]) {
        text += cells.map { CSVWriter.cell($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n"
    }

    public static func cell(_ raw: String, delimiter: Character = ",") -> String {
        var value = raw
        if let first = value.first, "=+-@\t\r".contains(first), !isPlainNumber(value) {
            value = "'" + value
        }
        if value.contains(delimiter) || value.contains("\"") || value.contains("\n") || value.contains("\r") {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func isPlainNumber(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        var seenSeparator = false, seenDigit = false
        for c in body {
            if c.isASCII && c.isNumber { seenDigit = true; continue }
            if (c == "." || c == ",") && !seenSeparator { seenSeparator = true; continue }
            if c == "e" || c == "E" { continue }
            return false
        }
        return seenDigit
    }
}
