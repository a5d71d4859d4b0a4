import Foundation

/// A respondent file read, mapped, derived and weighted: its design, its variables as outcomes and groupings
/// (codebook variables through their level codes, other columns through their distinct values), the filters'
/// domain, and the codebook's labels.
public struct PreparedData: Sendable {
    public var table: RawTable
    public var map: ExportMap?
    public var survey: String?
    public var surveyReason: SurveyInference.Reason?
    public var codebook: Codebook?
    public var dataset: Dataset?
    public var design: SurveyDesign
    /// The design as used: the declared one, or the survey's scheme filled in by default.
    public var declaration: DesignDeclaration
    /// Whether the scheme is the survey's, chosen by default.
    public var defaultScheme: Bool
    public var missing: Set<String>
    /// Rows with an invalid value of an analysed codebook variable (kept, the value missing).
    public var rejected: Int
    /// The filters' domain: rows outside it stay in the design as outside every estimate (nil: every row).
    public var domain: [Bool]?

    /// The design as the output's design line and the note say it: R's call, why, and the design's summary.
    public var designLine: String {
        var text = declaration.rDescription
        if defaultScheme, let survey { text = text.replacingOccurrences(of: "scheme \(survey) over", with: "scheme \(survey) (the survey's default) over") }
        return text + ": " + design.summary
    }

    // MARK: variables

    /// The file's column of a canonical variable.
    func rawColumn(_ name: String) -> RawTextColumn? {
        table.column(named: map?.exportName(for: name, header: table.header) ?? name)
    }

    func missingColumn(_ name: String) -> DataError {
        let why = codebook.map { c in
            c.variable(name) != nil || c.derivedVariable(name) != nil
                ? "\"\(name)\" is a variable of the \(c.survey) codebook but the file lacks it (or what it is derived from)"
                : "no such column"
        } ?? "no such column"
        return DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), why)
    }

    /// The analysed variable, restricted to the filters' domain: from the codebook (its missing codes, its level
    /// order) or the raw column.
    public func outcome(_ name: String, kind: VariableKind) throws -> Outcome {
        let outcome = try unrestrictedOutcome(name, kind: kind)
        guard let domain else { return outcome }
        switch outcome {
        case .numeric(var y):
            for i in 0..<y.count where !domain[i] { y[i] = .nan }
            return .numeric(y)
        case .categorical(var g):
            for i in 0..<g.codes.count where !domain[i] { g.codes[i] = -1 }
            return .categorical(g)
        }
    }

    func unrestrictedOutcome(_ name: String, kind: VariableKind) throws -> Outcome {
        if let dataset, let column = dataset[name] {
            switch column {
            case .numeric(let y):
                return kind == .categorical ? .categorical(numberGrouping(y)) : .numeric(y)
            case .categorical(let c):
                let observed = c.levels.filter { !$0.isMissing }
                let numericCodes = observed.allSatisfy { Double($0.code) != nil }
                if kind == .numeric || (kind == .auto && numericCodes && observed.allSatisfy { $0.code == "0" || $0.code == "1" }) {
                    return .numeric(dataset.numeric(name)!)
                }
                return .categorical(grouping(c))
            case .text(let t):
                return try outcomeFromText(name, column: t, kind: kind)
            }
        }
        guard let column = rawColumn(name) else { throw missingColumn(name) }
        return try outcomeFromText(name, column: column, kind: kind)
    }

    /// The grouping variable, restricted to the domain, with groups that have no respondents left out (as R's `svyby`).
    public func groups(_ name: String) throws -> Grouping {
        var g: Grouping
        if let dataset, let column = dataset[name] {
            switch column {
            case .categorical(let c): g = grouping(c)
            case .numeric(let y): g = numberGrouping(y)
            case .text(let t): g = rawGrouping(t)
            }
        } else {
            guard let column = rawColumn(name) else { throw missingColumn(name) }
            g = rawGrouping(column)
        }
        if let domain { for i in 0..<g.codes.count where !domain[i] { g.codes[i] = -1 } }
        let counts = g.counts
        let kept = g.labels.indices.filter { counts[$0] > 0 }
        var map = [Int32](repeating: -1, count: g.count)
        for (new, old) in kept.enumerated() { map[old] = Int32(new) }
        return Grouping(labels: kept.map { g.labels[$0] }, codes: g.codes.map { $0 < 0 ? -1 : map[Int($0)] })
    }

    /// The codebook's label of a variable's code (or of the variable with `code` nil), nil without one.
    public func label(_ name: String, code: String? = nil) -> String? {
        guard let codebook, codebook.variable(name) != nil || codebook.derivedVariable(name) != nil else { return nil }
        guard let code else { return codebook.label(of: name) }
        if code.isEmpty { return nil }
        let label = codebook.levelLabel(of: name, code: code)
        return label == code ? nil : label
    }

    /// Estimates with the codebook's labels of their levels and groups.
    public func labelled(_ rows: [EstimateRow], by: String?) -> [EstimateRow] {
        rows.map { row in
            var row = row
            row.levelLabel = label(row.variable, code: row.level)
            row.groupLabel = by.flatMap { label($0, code: row.group) }
            return row
        }
    }

    /// Tests with the codebook's labels of their levels, groups and the groups they are compared with.
    public func labelled(_ comparisons: [Comparison], by: String?) -> [Comparison] {
        comparisons.map { c in
            var c = c
            c.levelLabel = label(c.variable, code: c.level)
            c.groupLabel = by.flatMap { label($0, code: c.group) }
            c.otherLabel = c.kind == .groupVersusRest || c.kind == .trend ? nil : by.flatMap { label($0, code: c.other) }
            return c
        }
    }

    private func grouping(_ c: CategoricalColumn) -> Grouping {
        var map = [Int32](repeating: -1, count: c.levels.count)
        var labels: [String] = []
        for (i, level) in c.levels.enumerated() where !level.isMissing && !missing.contains(level.code) {
            map[i] = Int32(labels.count)
            labels.append(level.code)
        }
        return Grouping(labels: labels, codes: c.codes.mapped(map))
    }

    /// Numbers as categories: each distinct number once.
    private func numberGrouping(_ y: [Double]) -> Grouping {
        let distinct = DistinctNumbers(y)
        return rawGrouping(values: distinct.values, codes: distinct.codes)
    }

    private func rawGrouping(_ column: RawTextColumn) -> Grouping {
        rawGrouping(values: column.values.map { $0.trimmingSpaces() }, codes: DesignBuilder.codes(column.codes))
    }

    /// Categories of distinct values in R's factor order: numerically if every label is a number, else sorted
    /// (C-locale byte order); the values in `missing` (and "") are missing. Distinct values that trim to the
    /// same text are one category.
    private func rawGrouping(values: [String], codes: [UInt32]) -> Grouping {
        var present = [Bool](repeating: false, count: values.count)
        for c in codes { present[Int(c)] = true }
        var labels = Array(Set(values.indices.filter { present[$0] && !missing.contains(values[$0]) }.map { values[$0] }))
        if labels.allSatisfy({ Double($0) != nil }) {
            labels.sort { Double($0)! < Double($1)! }
        } else {
            labels.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let perValue = values.map { index[$0] ?? -1 }
        return Grouping(labels: labels, codes: codes.map { perValue[Int($0)] })
    }

    private func outcomeFromText(_ name: String, column: RawTextColumn, kind: VariableKind) throws -> Outcome {
        if kind == .categorical { return .categorical(rawGrouping(column)) }
        let texts = column.values.map { $0.trimmingSpaces() }
        var present = [Bool](repeating: false, count: texts.count)
        for row in 0..<column.codes.count { present[column.codes[row]] = true }
        var parsed = [Double](repeating: .nan, count: texts.count)
        var invalid = false
        for (k, text) in texts.enumerated() where present[k] && !missing.contains(text) {
            if let v = NumberParsing.parse(text, decimalComma: table.dialect.decimalComma) {
                parsed[k] = v
            } else if kind == .numeric {
                invalid = true
            } else {
                return .categorical(rawGrouping(column))
            }
        }
        let y = column.codes.mappedDouble(parsed)
        if invalid {
            var errors: [DataError] = []
            for row in 0..<table.rowCount where y[row].isNaN && !missing.contains(texts[column.codes[row]]) {
                errors.append(DataError(.invalidValue, table.position(row: row, column: column, value: texts[column.codes[row]]),
                                        "\(name) must be a number (or a missing code given with --missing)"))
            }
            throw DataErrors(errors: Array(errors.prefix(DataErrors.shownLimit)), total: errors.count)
        }
        return .numeric(y)
    }

    // MARK: filters

    /// The rows every filter keeps (nil without filters).
    func mask(_ filters: [RowFilter]) throws -> [Bool]? {
        guard !filters.isEmpty else { return nil }
        var mask = [Bool](repeating: true, count: table.rowCount)
        for filter in filters {
            let (values, index, isMissing) = try distinctValues(filter.variable)
            if let codebook, let known = codebook.levelCodes(of: filter.variable) {
                for code in filter.codes where !known.contains(code) {
                    throw UsageProblem("--filter \(filter): \(filter.variable) has no code \"\(code)\" (codes: \(known.joined(separator: ", ")))")
                }
            }
            let keep = filter.keeps(values, missing: isMissing)
            for row in 0..<mask.count where mask[row] && !keep[index(row)] { mask[row] = false }
        }
        return mask
    }

    /// A variable's distinct values, each row's index into them, and which values are missing.
    func distinctValues(_ name: String) throws -> ([String], (Int) -> Int, (String) -> Bool) {
        if let dataset, let column = dataset[name] {
            switch column {
            case .categorical(let c):
                let missingCodes = Set(c.levels.filter(\.isMissing).map(\.code))
                return (c.levels.map(\.code), { Int(c.codes[$0]) }, { missingCodes.contains($0) })
            case .numeric(let y):
                let g = numberGrouping(y)
                return (g.labels + [""], { g.codes[$0] < 0 ? g.labels.count : Int(g.codes[$0]) }, { $0.isEmpty })
            case .text(let t):
                return (t.values.map { $0.trimmingSpaces() }, { t.codes[$0] }, { $0.isEmpty })
            }
        }
        guard let column = rawColumn(name) else { throw missingColumn(name) }
        let values = column.values.map { v -> String in
            let text = v.trimmingSpaces()
            return map?.canonicalValue(text, variable: name, type: .categorical) ?? text
        }
        return (values, { column.codes[$0] }, { missing.contains($0) })
    }
}
