/// What a codebook check found for one variable.
public struct VariableSummary: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var code: String
        public var label: String
        public var count: Int
    }

    public var name: String
    public var type: VariableType
    public var label: String
    public var present: Bool
    public var derived: Bool
    public var filled: Int = 0
    public var missing: [Count] = []
    public var invalid: Int = 0
    /// The first invalid values with their physical lines.
    public var invalidExamples: [(value: String, line: Int)] = []
    public var values: [Count] = []
    public var minimum: Double?
    public var maximum: Double?
    public var mean: Double?

    public static func == (a: VariableSummary, b: VariableSummary) -> Bool {
        a.name == b.name && a.filled == b.filled && a.invalid == b.invalid && a.values == b.values && a.missing == b.missing
    }
}

/// The result of checking a file against a codebook.
public struct ValidationReport: Sendable {
    public var source: String
    public var survey: String
    public var rows: Int
    public var variables: [VariableSummary]
    /// File columns the codebook does not know (kept, but not validated).
    public var unknownColumns: [String]
    public var missingRequired: [String]
    /// Rows with at least one invalid value.
    public var rowsWithInvalid: Int = 0

    public var invalidValues: Int { variables.reduce(0) { $0 + $1.invalid } }
    public var isValid: Bool { missingRequired.isEmpty && invalidValues == 0 }

    /// The problems as positioned errors (for commands that stop on invalid data).
    public func errors() -> DataErrors {
        var errors: [DataError] = []
        var total = 0
        for name in missingRequired {
            errors.append(DataError(.missingColumn, SourcePosition(file: source, line: 1, columnName: name),
                                    "required column of the \(survey) codebook is missing"))
            total += 1
        }
        for v in variables where v.invalid > 0 {
            total += v.invalid
            for example in v.invalidExamples {
                errors.append(DataError(.invalidValue, SourcePosition(file: source, line: example.line, columnName: v.name, value: example.value),
                                        VariableSummary.expectation(v)))
            }
        }
        return DataErrors(errors: errors, total: total)
    }
}

extension VariableSummary {
    static func expectation(_ v: VariableSummary) -> String {
        switch v.type {
        case .numeric: return "not a valid number for \(v.name) (see the codebook's range)"
        case .id: return "\(v.name) must be filled and unique: this value is empty or repeats an earlier row"
        case .binary: return "not a valid value for \(v.name): expected 1 or 0 or a missing code"
        default: return "not a valid code of \(v.name) in the codebook"
        }
    }
}

/// Turns raw columns into typed columns following a codebook (after an optional export map),
/// computes derived variables, and reports what it found. Invalid values become missing in the
/// dataset and are counted and located in the report; commands decide whether that is fatal.
public struct DatasetBuilder: Sendable {
    public var codebook: Codebook
    public var map: ExportMap?

    public init(codebook: Codebook, map: ExportMap? = nil) {
        self.codebook = codebook
        self.map = map
    }

    /// The export columns to read for these canonical variables (all codebook variables if nil).
    public func selection(header: [String], variables: [String]? = nil) -> ColumnSelection {
        let wanted = variables ?? codebook.variables.map(\.name)
        let required = codebook.variables.filter(\.isRequired).map(\.name)
        let exportNames = wanted.map { map?.exportName(for: $0, header: header) ?? $0 }
        let requiredExport = Set(required.filter { wanted.contains($0) }.map { map?.exportName(for: $0, header: header) ?? $0 })
        return .named(exportNames, required: requiredExport)
    }

    /// - Parameter variables: only these codebook variables (and derived ones) are built and checked, as a
    ///   command that reads only the columns it needs (`selection(header:variables:)`); nil: all of them.
    public func build(_ raw: RawTable, variables: Set<String>? = nil) -> (Dataset, ValidationReport) {
        var dataset = Dataset(source: raw.source, rowCount: raw.rowCount, lineIndex: raw.lineIndex)
        var summaries: [VariableSummary] = []
        var byCanonical: [String: RawTextColumn] = [:]
        for column in raw.columns { byCanonical[map?.canonicalName(column.name) ?? column.name] = column }
        let missingLevels = codebook.missing.map { Level(code: $0.code, label: $0.label, isMissing: true) }
        var missingRequired: [String] = []
        var rowInvalid = [Bool](repeating: false, count: raw.rowCount)

        for variable in codebook.variables where variables?.contains(variable.name) ?? true {
            var summary = VariableSummary(name: variable.name, type: variable.type, label: variable.label,
                                          present: byCanonical[variable.name] != nil, derived: false)
            guard let column = byCanonical[variable.name] else {
                if variable.isRequired { missingRequired.append(variable.name) }
                summaries.append(summary)
                continue
            }
            let canonicalValues = column.values.map {
                map?.canonicalValue($0.trimmingSpaces(), variable: variable.name, type: variable.type) ?? $0.trimmingSpaces()
            }
            var invalidCode = [Bool](repeating: false, count: canonicalValues.count)
            switch variable.type {
            case .categorical, .binary:
                let levels = variable.validValues.map { Level(code: $0.code, label: $0.label) } + missingLevels
                var index: [String: UInt16] = [:]
                for (i, level) in levels.enumerated() where index[level.code] == nil { index[level.code] = UInt16(i) }
                let missingIndex = index[""] ?? UInt16(levels.count - 1)
                let table = canonicalValues.enumerated().map { (k, value) -> UInt16 in
                    if let code = index[value] { return code }
                    invalidCode[k] = true
                    return missingIndex
                }
                let codes = column.codes.mapped16(table)
                let result = CategoricalColumn(levels: levels, codes: codes)
                dataset.set(variable.name, .categorical(result))
                summarise(&summary, categorical: result)
            case .numeric:
                // Numbers take only the empty cell as missing (docs/codebook.md).
                let missingCodes: [String: ValueLabel] = ["": ValueLabel(code: "", label: "Niet ingevuld")]
                let low = variable.range?.first ?? -.infinity
                let high = variable.range?.last ?? .infinity
                let table = canonicalValues.enumerated().map { (k, value) -> Double in
                    if missingCodes[value] != nil { return .nan }
                    guard let x = NumberParsing.parse(value, decimalComma: raw.dialect.decimalComma),
                          x >= low, x <= high, !(variable.integer ?? false) || x.rounded() == x else {
                        invalidCode[k] = true
                        return .nan
                    }
                    return x
                }
                let values = column.codes.mappedDouble(table)
                dataset.set(variable.name, .numeric(values))
                summarise(&summary, numeric: values, column: column, canonicalValues: canonicalValues,
                          missing: Array(missingCodes.values))
            case .id, .text:
                dataset.set(variable.name, .text(column))
                var counts = [Int](repeating: 0, count: column.values.count)
                for row in 0..<column.codes.count { counts[column.codes[row]] += 1 }
                let empty = canonicalValues.indices.filter { canonicalValues[$0].isEmpty }.reduce(0) { $0 + counts[$1] }
                summary.filled = raw.rowCount - empty
                if empty > 0 { summary.missing = [.init(code: "", label: "Niet ingevuld", count: empty)] }
            }
            // An identifier is non-empty and unique: every repeat after the first is invalid.
            var invalidRow: (Int) -> Bool = { invalidCode[column.codes[$0]] }
            if variable.type == .id {
                var seen = [Bool](repeating: false, count: canonicalValues.count)
                var repeated = [Bool](repeating: false, count: raw.rowCount)
                for row in 0..<raw.rowCount {
                    let code = column.codes[row]
                    if canonicalValues[code].isEmpty || seen[code] { repeated[row] = true }
                    seen[code] = true
                }
                invalidRow = { repeated[$0] }
                if repeated.contains(true) { invalidCode = [true] }
            }
            if invalidCode.contains(true) {
                for row in 0..<raw.rowCount where invalidRow(row) {
                    summary.invalid += 1
                    rowInvalid[row] = true
                    if summary.invalidExamples.count < 5 {
                        summary.invalidExamples.append((column[row], raw.lineIndex.line(ofRecord: row)))
                    }
                }
                // Invalid categorical values were stored as missing (""): count them as invalid only.
                if let i = summary.missing.firstIndex(where: { $0.code == "" }), variable.type == .categorical || variable.type == .binary {
                    summary.missing[i].count -= summary.invalid
                    if summary.missing[i].count == 0 { summary.missing.remove(at: i) }
                }
            }
            summaries.append(summary)
        }

        for derived in codebook.derived ?? [] where variables?.contains(derived.name) ?? true {
            var summary = VariableSummary(name: derived.name, type: .categorical, label: derived.label, present: false, derived: true)
            if let column = Derivation.compute(derived, in: dataset, missing: missingLevels) {
                dataset.set(derived.name, column)
                summary.present = true
                switch column {
                case .categorical(let c):
                    summary.type = derived.any != nil ? .binary : .categorical
                    summarise(&summary, categorical: c)
                case .numeric(let v):
                    summary.type = .numeric
                    summarise(&summary, numeric: v, column: nil, canonicalValues: [], missing: [])
                case .text: break
                }
            }
            summaries.append(summary)
        }

        let known = Set(codebook.variables.map(\.name))
        let unknown = raw.header.filter { !known.contains(map?.canonicalName($0) ?? $0) }
        let report = ValidationReport(source: raw.source, survey: codebook.survey, rows: raw.rowCount,
                                      variables: summaries, unknownColumns: unknown, missingRequired: missingRequired,
                                      rowsWithInvalid: rowInvalid.reduce(0) { $0 + ($1 ? 1 : 0) })
        return (dataset, report)
    }

    private func summarise(_ summary: inout VariableSummary, categorical c: CategoricalColumn) {
        var counts = [Int](repeating: 0, count: c.levels.count)
        for code in c.codes { counts[Int(code)] += 1 }
        summary.values = c.levels.indices.filter { !c.levels[$0].isMissing }
            .map { .init(code: c.levels[$0].code, label: c.levels[$0].label, count: counts[$0]) }
        summary.missing = c.levels.indices.filter { c.levels[$0].isMissing && counts[$0] > 0 }
            .map { .init(code: c.levels[$0].code, label: c.levels[$0].label, count: counts[$0]) }
        summary.filled = summary.values.reduce(0) { $0 + $1.count }
    }

    private func summarise(_ summary: inout VariableSummary, numeric values: [Double], column: RawTextColumn?,
                           canonicalValues: [String], missing: [ValueLabel]) {
        var n = 0, sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        for x in values where !x.isNaN {
            n += 1
            sum += x
            lo = min(lo, x)
            hi = max(hi, x)
        }
        summary.filled = n
        if n > 0 {
            summary.minimum = lo
            summary.maximum = hi
            summary.mean = sum / Double(n)
        }
        if let column {
            var counts: [String: Int] = [:]
            for row in 0..<column.codes.count {
                let value = canonicalValues[column.codes[row]]
                if missing.contains(where: { $0.code == value }) { counts[value, default: 0] += 1 }
            }
            summary.missing = missing.compactMap { m in counts[m.code].map { .init(code: m.code, label: m.label, count: $0) } }
        } else {
            let nMissing = values.count - n
            if nMissing > 0 { summary.missing = [.init(code: "", label: "Ontbreekt", count: nMissing)] }
        }
    }
}
