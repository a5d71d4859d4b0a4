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

    /// Builds a frame from a read CSV, checking counts and cells: N is a positive normal number of at most
    /// `WeightLimits.largestCount` (2^53), no cell value is empty, and no two cells match the same respondent
    /// (checked per pair of wildcard patterns, not per pair of cells).
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
        var errors: [(row: Int, error: DataError)] = []
        var cells: [Cell] = []
        var rowOfCell: [Int] = []
        var seen: [[String]: Int] = [:]
        for row in 0..<table.rowCount {
            let line = table.lineIndex.line(ofRecord: row)
            let values = cellColumns.map { $0[row].trimmingSpaces() }
            let text = nColumn[row]
            guard let total = NumberParsing.parse(text, decimalComma: table.dialect.decimalComma), total > 0, total.isFinite else {
                errors.append((row, DataError(.frame, table.position(row: row, column: nColumn, value: text),
                                              "population count must be a positive number")))
                continue
            }
            if let problem = WeightLimits.countProblem(total) {
                errors.append((row, DataError(.frame, table.position(row: row, column: nColumn, value: text), problem)))
                continue
            }
            if let empty = values.firstIndex(of: "") {
                errors.append((row, DataError(.frame, table.position(row: row, column: cellColumns[empty], value: ""),
                                              "empty cell value (use * for any value)")))
                continue
            }
            if let first = seen[values] {
                errors.append((row, DataError(.frame, table.position(row: row, value: values.joined(separator: "|")),
                                              "duplicate frame cell: line \(first) has the same cell")))
                continue
            }
            seen[values] = line
            cells.append(Cell(values: values, total: total, line: line))
            rowOfCell.append(row)
        }
        for (later, earlier) in Frame.overlaps(cells) {
            let cell = cells[later], other = cells[earlier]
            errors.append((rowOfCell[later], DataError(.frame, table.position(row: rowOfCell[later], value: cell.label),
                                                       "frame cell overlaps line \(other.line) (\(other.label)): a respondent would match both")))
        }
        if !errors.isEmpty {
            let sorted = errors.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }
            throw DataErrors(errors: sorted.map(\.element.error))
        }
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

    /// Pairs of distinct cells (later, earlier, as indices into `cells`) that a respondent could match
    /// both of. Cells with the same wildcard pattern overlap only when equal (duplicates are caught when
    /// reading); for two patterns P and Q, cells overlap when they agree on the columns neither has a `*`
    /// in, found with a dictionary per pair of patterns: O(patterns² · cells), not O(cells²).
    static func overlaps(_ cells: [Cell]) -> [(later: Int, earlier: Int)] {
        var patterns: [[Bool]] = []
        var members: [[Int]] = []
        var patternIndex: [[Bool]: Int] = [:]
        for (i, cell) in cells.enumerated() {
            let pattern = cell.values.map { $0 == wildcard }
            if let p = patternIndex[pattern] {
                members[p].append(i)
            } else {
                patternIndex[pattern] = patterns.count
                patterns.append(pattern)
                members.append([i])
            }
        }
        var pairs: [(later: Int, earlier: Int)] = []
        for p in patterns.indices {
            for q in patterns.indices where q > p {
                let common = patterns[p].indices.filter { !patterns[p][$0] && !patterns[q][$0] }
                var index: [[String]: [Int]] = [:]
                for i in members[q] { index[common.map { cells[i].values[$0] }, default: []].append(i) }
                for i in members[p] {
                    for j in index[common.map { cells[i].values[$0] }] ?? [] { pairs.append((max(i, j), min(i, j))) }
                }
            }
        }
        return pairs.sorted { ($0.later, $0.earlier) < ($1.later, $1.earlier) }
    }

    /// Assigns each respondent to a frame cell from columns given as distinct values and row codes.
    ///
    /// Sparse: only combinations of values that occur cost anything. Each row's combination of codes gets
    /// a dense number (`Combinations`, at most one per row), each combination that occurs is looked up once
    /// in the frame (one dictionary per wildcard pattern, keyed by the codes of the pattern's non-`*`
    /// columns), and rows take their combination's cell. Work O(rows · columns + combinations · patterns),
    /// memory O(rows + frame cells), whatever the product of the columns' numbers of values. Rows that match
    /// no cell get -1. With overlapping cells (a frame not built by `init(table:)`) the first cell wins.
    public func margin(name: String, coded columns: [CodedColumn], rowCount: Int) -> Margin {
        // Codes with the same text (a column whose values were trimmed or mapped) become one code.
        var codeOfText: [[String: UInt32]] = []
        var canonical: [[UInt32]] = []
        for column in columns {
            var index: [String: UInt32] = [:]
            canonical.append(column.values.enumerated().map { code, text in
                if let first = index[text] { return first }
                index[text] = UInt32(code)
                return UInt32(code)
            })
            codeOfText.append(index)
        }
        // The frame's cells by wildcard pattern, keyed by the codes of their non-wildcard values.
        var patterns: [(columns: [Int], cells: [[UInt32]: Int32])] = []
        var patternIndex: [[Bool]: Int] = [:]
        for (h, cell) in cells.enumerated() {
            let pattern = cell.values.map { $0 == Frame.wildcard }
            let fixed = pattern.indices.filter { !pattern[$0] && $0 < columns.count }
            let p: Int
            if let known = patternIndex[pattern] {
                p = known
            } else {
                p = patterns.count
                patternIndex[pattern] = p
                patterns.append((fixed, [:]))
            }
            var key: [UInt32] = []
            for k in fixed {
                guard let code = codeOfText[k][cell.values[k]] else { break }
                key.append(code)
            }
            guard key.count == fixed.count else { continue }  // a value no respondent has: matches no row
            if patterns[p].cells[key] == nil { patterns[p].cells[key] = Int32(h) }
        }
        let combinations = Combinations(columns.indices.map { k in (canonical[k], columns[k].codes) },
                                        rowCount: rowCount)
        let cellOfCombination = combinations.firstRow.map { row -> Int32 in
            var best: Int32 = -1
            for pattern in patterns {
                let key = pattern.columns.map { canonical[$0][Int(columns[$0].codes[row])] }
                if let h = pattern.cells[key], best < 0 || h < best { best = h }
            }
            return best
        }
        let cellOfRow = combinations.ofRow.map { cellOfCombination[Int($0)] }
        return Margin(name: name, labels: cells.map(\.label), totals: cells.map(\.total), cellOfRow: cellOfRow)
    }

    /// Assigns each respondent to a frame cell. `columns` hold the respondents' values of `variables`
    /// (same order). Rows that match no cell get -1.
    public func margin(name: String, columns: [[String]], rowCount: Int) -> Margin {
        margin(name: name, coded: columns.map { CodedColumn($0) }, rowCount: rowCount)
    }
}

/// The distinct combinations of several coded columns that occur, numbered densely in order of first
/// appearance, built one column at a time: the pair (combination so far, next column's code) gets a new
/// number the first time it occurs. A pair is looked up in a flat table when (combinations so far) x
/// (the column's codes) is at most 4 rows + 65,536 entries, else in a dictionary; so the work is
/// O(rows · columns) and the memory O(rows), never the product of the columns' numbers of values.
struct Combinations {
    /// Each row's combination.
    var ofRow: [UInt32]
    /// The first row of each combination.
    var firstRow: [Int]

    /// - Parameter columns: per column, the canonical code of each code (`map`), and each row's code.
    init(_ columns: [(map: [UInt32], codes: [UInt32])], rowCount: Int) {
        var ids = [UInt32](repeating: 0, count: rowCount)
        var count = 1
        let flatLimit = 4 * rowCount + 65_536
        for (map, codes) in columns {
            let width = max(map.count, 1)
            var next: UInt32 = 0
            let (size, overflow) = count.multipliedReportingOverflow(by: width)
            if !overflow && size <= flatLimit {
                var table = [UInt32](repeating: .max, count: size)
                for row in 0..<rowCount {
                    let key = Int(ids[row]) * width + Int(map[Int(codes[row])])
                    if table[key] == .max { table[key] = next; next += 1 }
                    ids[row] = table[key]
                }
            } else {
                var table: [UInt64: UInt32] = [:]
                for row in 0..<rowCount {
                    let key = UInt64(ids[row]) << 32 | UInt64(map[Int(codes[row])])
                    if let id = table[key] {
                        ids[row] = id
                    } else {
                        table[key] = next
                        ids[row] = next
                        next += 1
                    }
                }
            }
            count = Int(next)
        }
        var firstRow = [Int](repeating: -1, count: rowCount == 0 ? 0 : count)
        for row in 0..<rowCount where firstRow[Int(ids[row])] < 0 { firstRow[Int(ids[row])] = row }
        self.ofRow = ids
        self.firstRow = firstRow
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
