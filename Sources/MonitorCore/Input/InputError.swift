/// Where in an input a problem is: file, physical line (1-based, the header is line 1),
/// column (1-based position and header name) and the offending value.
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var columnName: String?
    public var value: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, value: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.value = value
    }

    /// `data.csv, line 17, column 7 "ernst", value "8"`
    public var description: String {
        var parts = [file]
        if CaseNumbering.isCaseFile(file) { return caseDescription }
        if let line { parts.append("line \(line)") }
        if let column {
            if let columnName { parts.append("column \(column) \"\(columnName)\"") } else { parts.append("column \(column)") }
        } else if let columnName {
            parts.append("column \"\(columnName)\"")
        }
        if let value { parts.append("value \"\(SourcePosition.shorten(value))\"") }
        return parts.joined(separator: ", ")
    }

    static func shorten(_ s: String) -> String {
        let visible = s.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return visible.count > 60 ? String(visible.prefix(57)) + "..." : visible
    }
}

/// A problem with the data (exit status 1), always tied to a position.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case io, emptyFile, emptyHeader, duplicateHeader, missingColumn, fieldCount
        case unterminatedQuote, malformedQuote, encoding, invalidValue, frame, design, spec, codebook
        /// A NUL byte in the input; `notCSV`: a known binary format (`InputFormat`).
        case binary, notCSV
    }
    public var kind: Kind
    public var position: SourcePosition
    public var message: String

    public init(_ kind: Kind, _ position: SourcePosition, _ message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String { "\(position.description): \(message)" }
}

/// Several data errors found in one pass: the first ones in full and a count of all.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [DataError]
    public var total: Int
    public static let shownLimit = 20

    public init(errors: [DataError], total: Int? = nil) {
        self.errors = errors
        self.total = total ?? errors.count
    }

    public var description: String {
        var lines = errors.prefix(DataErrors.shownLimit).map(\.description)
        if total > lines.count { lines.append("... and \(total - lines.count) more") }
        return lines.joined(separator: "\n")
    }
}
