/// Population counts per cell: the frame a weighting adjusts to.
///
/// A frame file is a CSV whose columns are the cell variables followed by `N`. A `*` in a cell column
/// matches any value (e.g. `provincie,*,645`: every provincie respondent, whatever the functie). No two
/// rows may match the same respondent.
public struct Frame: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var values: [String]
        public var total: Double
        public var line: Int
        public var label: String { values.joined(separator: "|") }
    }

    public static let wildcard = "*"
    public var source: String
    public var variables: [String]
    public var cells: [Cell]

    public var total: Double { cells.reduce(0) { $0 + $1.total } }

    public init(source: String, variables: [String], cells: [Cell]) {
        self.source = source
        self.variables = variables
        self.cells = cells
    }

    /// Builds a frame from a read CSV, checking counts and cells.
    public init(table: RawTable) throws(DataErrors) {
        guard let nColumn = table.column(named: "N") ?? table.column(named: "n") else {
            throw DataErrors(errors: [DataError(.frame, SourcePosition(file: table.source, line: 1),
                                                "a frame needs a column N with the population count of each cell")])
        }
        let variables = table.header.filter { $0 != nColumn.name }
        guard !variables.isEmpty else {
            throw DataErrors(errors: [DataError(.frame, SourcePosition(file: table.source, line: 1), "a frame needs at least one cell column before N")])
        }
        let cellColumns = variables.map { table.column(named: $0)! }
        var errors: [DataError] = []
        var cells: [Cell] = []
        var seen: [[String]: Int] = [:]
        for row in 0..<table.rowCount {
            let line = table.lineIndex.line(ofRecord: row)
            let values = cellColumns.map { $0[row].trimmingSpaces() }
            let text = nColumn[row]
            guard let total = NumberParsing.parse(text, decimalComma: table.dialect.decimalComma), total > 0, total.isFinite else {
                errors.append(DataError(.frame, table.position(row: row, column: nColumn, value: text),
                                        "population count must be a positive number"))
                continue
            }
            if let empty = values.firstIndex(of: "") {
                errors.append(DataError(.frame, table.position(row: row, column: cellColumns[empty], value: ""),
                                        "empty cell value (use * for any value)"))
                continue
            }
            if let first = seen[values] {
                errors.append(DataError(.frame, table.position(row: row, value: values.joined(separator: "|")),
                                        "duplicate frame cell: line \(first) has the same cell"))
                continue
            }
            for other in cells where Frame.overlap(values, other.values) {
                errors.append(DataError(.frame, table.position(row: row, value: values.joined(separator: "|")),
                                        "frame cell overlaps line \(other.line) (\(other.label)): a respondent would match both"))
            }
            seen[values] = line
            cells.append(Cell(values: values, total: total, line: line))
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        if cells.isEmpty {
            throw DataErrors(errors: [DataError(.frame, SourcePosition(file: table.source), "the frame has no cells")])
        }
        self.init(source: table.source, variables: variables, cells: cells)
    }

    public static func load(path: String, reader: CSVReader = CSVReader()) throws -> Frame {
        try Frame(table: reader.read(.file(path), columns: .all))
    }

    static func overlap(_ a: [String], _ b: [String]) -> Bool {
        zip(a, b).allSatisfy { $0 == $1 || $0 == wildcard || $1 == wildcard }
    }

    func matches(_ cell: Cell, _ key: [String]) -> Bool {
        zip(cell.values, key).allSatisfy { $0 == Frame.wildcard || $0 == $1 }
    }

    /// `margin(name:columns:rowCount:)` for columns given as distinct values and row codes: each combination
    /// of distinct values is matched once, then rows are looked up by code (no per-row strings).
    public func margin(name: String, coded columns: [CodedColumn], rowCount: Int) -> Margin {
        var strides: [Int] = []
        var size = 1
        for c in columns { strides.append(size); size *= max(c.values.count, 1) }
        var cellOfCombination = [Int32](repeating: -1, count: size)
        for combination in 0..<size {
            let key = columns.enumerated().map { k, c in c.values.isEmpty ? "" : c.values[(combination / strides[k]) % c.values.count] }
            cellOfCombination[combination] = cells.firstIndex { matches($0, key) }.map { Int32($0) } ?? -1
        }
        var cellOfRow = [Int32](repeating: -1, count: rowCount)
        for row in 0..<rowCount {
            var combination = 0
            for (k, c) in columns.enumerated() { combination += Int(c.codes[row]) * strides[k] }
            cellOfRow[row] = cellOfCombination[combination]
        }
        return Margin(name: name, labels: cells.map(\.label), totals: cells.map(\.total), cellOfRow: cellOfRow)
    }

    /// Assigns each respondent to a frame cell. `columns` hold the respondents' values of `variables`
    /// (same order). Rows that match no cell get -1.
    public func margin(name: String, columns: [[String]], rowCount: Int) -> Margin {
        margin(name: name, coded: columns.map { CodedColumn($0) }, rowCount: rowCount)
    }
}

/// A respondent column as its distinct values and each row's index into them.
public struct CodedColumn: Sendable {
    public var values: [String]
    public var codes: [UInt32]

    public init(values: [String], codes: [UInt32]) {
        self.values = values
        self.codes = codes
    }

    /// Codes values in order of first appearance.
    public init(_ texts: [String]) {
        var index: [String: UInt32] = [:]
        var values: [String] = []
        codes = texts.map { text in
            if let k = index[text] { return k }
            let k = UInt32(values.count)
            index[text] = k
            values.append(text)
            return k
        }
        self.values = values
    }

    public subscript(row: Int) -> String { values[Int(codes[row])] }
}
