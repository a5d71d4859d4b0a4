/// One cell of a computed table: an estimate for a row (variable, or a level of it) in a column (the whole
/// base, or a group of a column block), with its test against the rest of the block and against earlier waves.
public struct TableCell: Sendable, Equatable, Codable {
    public struct Trend: Sendable, Equatable, Codable {
        public var wave: String
        /// The previous wave's published figure (percent or mean, as printed).
        public var published: Double
        public var n: Int?
        public var verdict: Comparison.Verdict
        public var pValue: Double?
        enum CodingKeys: String, CodingKey { case wave, published, n, verdict, pValue = "p_value" }
    }

    public var row: String
    public var rowLabel: String
    public var block: String
    public var column: String
    public var columnLabel: String
    public var statistic: TableSpec.Statistic
    /// Respondents in the cell's base with a valid answer.
    public var n: Int
    public var effectiveN: Double
    /// Proportion (0-1) or mean; nil when suppressed.
    public var estimate: Double?
    public var standardError: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    public var flag: SmallGroupFlag
    /// Against the rest of the column block (nil in the total column or a one-group block).
    public var verdict: Comparison.Verdict?
    public var pValue: Double?
    public var trend: [Trend]

    enum CodingKeys: String, CodingKey {
        case row, rowLabel = "row_label", block, column, columnLabel = "column_label", statistic, n, effectiveN = "n_eff",
             estimate, standardError = "se", ciLow = "ci_low", ciHigh = "ci_high", flag, verdict, pValue = "p_value", trend
    }
}

/// A table evaluated on a respondent file.
public struct ComputedTable: Sendable, Codable {
    public struct Column: Sendable, Equatable, Codable {
        public var block: String
        public var blockLabel: String
        public var code: String
        public var label: String
        /// Respondents of the base in this group.
        public var n: Int
        enum CodingKeys: String, CodingKey { case block, blockLabel = "block_label", code, label, n }
    }
    public struct Row: Sendable, Equatable, Codable {
        public var key: String
        public var label: String
    }

    public var spec: TableSpec
    /// Respondents in the base.
    public var baseN: Int
    public var rows: [Row]
    public var columns: [Column]
    public var cells: [TableCell]
    /// The test behind the ▲ / ▼ marks and its level.
    public var groupTest: GroupTest = .raoScott
    public var alpha: Double = 0.05

    enum CodingKeys: String, CodingKey { case spec, baseN = "base_n", rows, columns, cells, groupTest = "group_test", alpha }

    public func cell(row: String, block: String, column: String) -> TableCell? {
        cells.first { $0.row == row && $0.block == block && $0.column == column }
    }
}

/// Evaluates table specifications with the estimation and test engine: one source of truth for
/// `monitor tables`, `monitor reproduce` and the synthetic-data calibration.
public struct TableEngine: Sendable {
    public var dataset: Dataset
    public var design: SurveyDesign
    public var codebook: Codebook
    public var thresholds: ReportingThresholds
    public var alpha: Double
    /// The header of the file the dataset was built from (for a hint when a table's variable is missing).
    public var fileColumns: [String] = []
    /// The test of a group against the rest of its block (the marks): Rao-Scott for proportions by default.
    public var groupTest: GroupTest = .raoScott

    public init(dataset: Dataset, design: SurveyDesign, codebook: Codebook, thresholds: ReportingThresholds = ReportingThresholds(),
                alpha: Double = 0.05) {
        self.dataset = dataset
        self.design = design
        self.codebook = codebook
        self.thresholds = thresholds
        self.alpha = alpha
    }

    public func compute(_ spec: TableSpec) throws -> ComputedTable {
        try spec.check(against: codebook)
        let inBase = try baseMask(spec)
        let baseN = inBase.filter { $0 }.count

        // Column blocks: the whole base, or groups of a variable. A block's grouping (n codes) is made again
        // for each row rather than kept for all blocks at once: a million-row file holds one at a time.
        var blocks: [(block: String, label: String, spec: TableSpec.ColumnBlock)] = []
        var columns: [ComputedTable.Column] = []
        for b in spec.columns {
            guard let by = b.by else {
                blocks.append(("", "Totaal", b))
                columns.append(.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: baseN))
                continue
            }
            let g = try grouping(by, levels: b.levels, inBase: inBase)
            let label = b.label ?? codebook.label(of: by)
            blocks.append((by, label, b))
            let counts = g.counts
            for (k, code) in g.labels.enumerated() {
                columns.append(.init(block: by, blockLabel: label, code: code,
                                     label: b.labels?[code] ?? codebook.levelLabel(of: by, code: code), n: counts[k]))
            }
        }

        var rows: [ComputedTable.Row] = []
        var cells: [TableCell] = []
        for rowSpec in spec.rows {
            if let statistic = rowSpec.statistic, statistic.isResponse {
                let (keys, rowCells) = try responseRow(spec, rowSpec, statistic: statistic, inBase: inBase, blocks: blocks.map(\.spec),
                                                       columns: columns)
                rows += keys
                cells += rowCells
                continue
            }
            let first = cells.count
            var memberships: [(block: String, grouping: Grouping?)] = []
            let (outcome, shown, statistic) = try outcome(rowSpec, inBase: inBase)
            let levels = outcome.levels
            let keys = shown.map { level -> (key: String, label: String, index: Int) in
                let index = levels.firstIndex(of: level) ?? 0
                if level.isEmpty {
                    return (rowSpec.key, rowSpec.label ?? codebook.label(of: rowSpec.variable), index)
                }
                let label = rowSpec.labels?[level] ?? codebook.levelLabel(of: rowSpec.variable, code: level)
                return ("\(rowSpec.key)=\(level)", rowSpec.label.map { "\($0): \(label)" } ?? label, index)
            }
            rows += keys.map { ComputedTable.Row(key: $0.key, label: $0.label) }
            for block in blocks {
                let groups = try block.spec.by.map { try grouping($0, levels: block.spec.levels, inBase: inBase) }
                memberships.append((block.block, groups))
                // One pass over the rows for the groups' estimates and their tests.
                let sums = groups.flatMap { design.domainSums(outcome, domains: $0) }
                let estimates = try Estimator.estimate(design, variable: rowSpec.variable, outcome: outcome, by: groups,
                                                       options: EstimationOptions(thresholds: thresholds), includeOverall: groups == nil,
                                                       sums: sums)
                var tests: [Comparison] = []
                if let groups, groups.count >= 2, (spec.test ?? .groupVersusRest) == .groupVersusRest {
                    tests = try GroupComparison.versusRest(design, variable: rowSpec.variable, outcome: outcome, by: groups,
                                                           alpha: alpha, thresholds: thresholds, sums: sums, test: groupTest)
                }
                for e in estimates {
                    guard let key = keys.first(where: { levels[$0.index] == e.level }) else { continue }
                    let test = tests.first { $0.group == e.group && $0.level == e.level }
                    var cell = TableCell(row: key.key, rowLabel: key.label, block: block.block, column: e.group,
                                         columnLabel: columns.first { $0.block == block.block && $0.code == e.group }?.label ?? "Totaal",
                                         statistic: statistic, n: e.n, effectiveN: e.effectiveN, estimate: e.estimate,
                                         standardError: e.standardError, ciLow: e.ciLow, ciHigh: e.ciHigh, flag: e.flag,
                                         verdict: test?.verdict, pValue: test.flatMap { $0.pValue.isFinite ? $0.pValue : nil }, trend: [])
                    cell.trend = trends(spec, cell: cell)
                    cells.append(cell)
                }
            }
            if cells[first...].contains(where: { $0.flag == .suppressed }) {
                protectDifferencing(&cells[first...], spec: spec, outcome: outcome, inBase: inBase, memberships: memberships)
            }
        }
        return ComputedTable(spec: spec, baseN: baseN, rows: rows, columns: columns, cells: cells, groupTest: groupTest, alpha: alpha)
    }

    /// Earlier waves' published figures for this cell, each tested against the current estimate.
    func trends(_ spec: TableSpec, cell: TableCell) -> [TableCell.Trend] {
        var out: [TableCell.Trend] = []
        for wave in spec.previous ?? [] {
            for figure in wave.figures where figure.row == cell.row && figure.column == cell.column {
                let scale = cell.statistic == .percent ? 100.0 : 1.0
                guard let published = cell.statistic == .percent ? figure.percent : figure.mean else { continue }
                var trend = TableCell.Trend(wave: wave.wave, published: published, n: figure.n, verdict: .notTested, pValue: nil)
                if cell.statistic == .percent, let n = figure.n, let estimate = cell.estimate, let se = cell.standardError {
                    let c = TrendComparison.compare(variable: cell.row, current: estimate, standardError: se, n: cell.n,
                                                    previous: PublishedFigure(label: wave.wave, proportion: published / scale, n: n), alpha: alpha)
                    trend.verdict = c.verdict
                    trend.pValue = c.pValue.isFinite ? c.pValue : nil
                }
                out.append(trend)
            }
        }
        return out
    }

    // MARK: variables

    /// A variable as its distinct codes ("" where missing) and each row's index into them: the categories
    /// as stored (no per-row strings), numbers and text through their distinct values.
    struct ValueTable {
        /// Row → value index: a categorical column's own codes (not copied), or built.
        enum Index {
            case levels(LevelCodes)
            case built([UInt32])
            @inline(__always) subscript(row: Int) -> Int {
                switch self {
                case .levels(let c): return Int(c[row])
                case .built(let a): return Int(a[row])
                }
            }
        }
        var values: [String]
        var index: Index
        var rowCount: Int

        /// Each base row's entry of `perValue` (indexed like `values`), `outside` for rows outside the base.
        func rows<T>(_ perValue: [T], inBase: [Bool], outside: T) -> [T] {
            var out = [T](repeating: outside, count: inBase.count)
            for i in 0..<out.count where inBase[i] { out[i] = perValue[index[i]] }
            return out
        }
        /// The values some row has (one pass over the rows; only asked for when the codebook does not list them).
        var presentValues: [String] {
            var present = [Bool](repeating: false, count: values.count)
            for row in 0..<rowCount { present[index[row]] = true }
            return values.indices.filter { present[$0] }.map { values[$0] }
        }
    }

    /// The data lack a variable a table needs: say so, with the file's column it probably is.
    func missingVariable(_ name: String) -> DataError {
        let hint = NameHint.hint(for: name, among: fileColumns).map { " (\($0))" } ?? ""
        return DataError(.spec, SourcePosition(file: dataset.source), "the data have no variable \(name)\(hint)")
    }

    func valueTable(_ name: String) throws -> ValueTable {
        guard let column = dataset[name] else {
            throw missingVariable(name)
        }
        var values: [String], index: ValueTable.Index
        switch column {
        case .categorical(let c):
            values = c.levels.map(\.code)
            index = .levels(c.codes)
        case .numeric(let y):
            let distinct = DistinctNumbers(y)
            values = distinct.values
            index = .built(distinct.codes)
        case .text(let t):
            values = t.values
            index = .built((0..<t.codes.count).map { UInt32(t.codes[$0]) })
        }
        return ValueTable(values: values, index: index, rowCount: dataset.rowCount)
    }

    func baseMask(_ spec: TableSpec) throws -> [Bool] {
        var mask = [Bool](repeating: true, count: dataset.rowCount)
        for (variable, allowed) in (spec.base.filter ?? [:]).sorted(by: { $0.key < $1.key }) {
            let set = Set(allowed)
            let table = try valueTable(variable)
            let keep = table.values.map { set.contains($0) }
            for i in 0..<mask.count where mask[i] && !keep[table.index[i]] { mask[i] = false }
        }
        return mask
    }

    func grouping(_ name: String, levels: [String]?, inBase: [Bool]) throws -> Grouping {
        let table = try valueTable(name)
        let missingCodes = Set(codebook.missing.map(\.code) + [""])
        let order = levels ?? (codebook.levelCodes(of: name)?.filter { !missingCodes.contains($0) }
            ?? Array(Set(table.presentValues.filter { !missingCodes.contains($0) })).sorted())
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, Int32($0)) })
        return Grouping(labels: order, codes: table.rows(table.values.map { index[$0] ?? -1 }, inBase: inBase, outside: -1))
    }

    /// The row's outcome restricted to the base, the levels it shows, and whether it is a percentage or a mean.
    func outcome(_ row: TableSpec.Row, inBase: [Bool]) throws -> (Outcome, [String], TableSpec.Statistic) {
        guard let column = dataset[row.variable] else {
            throw missingVariable(row.variable)
        }
        let excluded = Set(row.exclude ?? [])
        if case .numeric(let y) = column {
            return (.numeric(y.enumerated().map { inBase[$0] ? $1 : .nan }), [""], row.statistic ?? .mean)
        }
        let table = try valueTable(row.variable)
        let missingCodes = Set(codebook.missing.map(\.code) + [""])
        let valid = (codebook.levelCodes(of: row.variable) ?? []).filter { !missingCodes.contains($0) }
        // A 0/1 variable shown as one row: the proportion with 1.
        if row.levels == nil, Set(valid) == ["0", "1"] || (valid.isEmpty && Set(table.presentValues).isSubset(of: ["0", "1", ""])) {
            let value = table.values.map { v -> Double in excluded.contains(v) ? .nan : (v == "1" ? 1 : (v == "0" ? 0 : .nan)) }
            return (.numeric(table.rows(value, inBase: inBase, outside: .nan)), [""], .percent)
        }
        // Categories: every valid level (and any missing code the row lists) is in the denominator.
        var levels = valid.filter { !excluded.contains($0) }
        for code in row.levels ?? [] where !levels.contains(code) { levels.append(code) }
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, Int32($0)) })
        let codes = table.rows(table.values.map { index[$0] ?? -1 }, inBase: inBase, outside: Int32(-1))
        return (.categorical(Grouping(labels: levels, codes: codes)), row.levels ?? levels, .percent)
    }
}
