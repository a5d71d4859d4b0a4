import Foundation

/// Rows that describe the response itself rather than estimate from it (`TableSpec.Statistic.isResponse`):
/// unweighted counts of respondents, their shares, the totals of a frame file (the invited or approached) and
/// response rates. The report's response tables (Tabel 1.2-1.5, bijlage B Tabel 4.3 and 4.4) are such tables.
extension TableEngine {
    /// The row keys and cells of one response row, for every column of the table.
    func responseRow(_ spec: TableSpec, _ row: TableSpec.Row, statistic: TableSpec.Statistic, inBase: [Bool],
                     blocks: [TableSpec.ColumnBlock], columns: [ComputedTable.Column]) throws -> ([ComputedTable.Row], [TableCell]) {
        guard dataset[row.variable] != nil else { throw missingVariable(row.variable) }
        let table = try valueTable(row.variable)
        let missingCodes = Set(codebook.missing.map(\.code) + [""]).union(row.exclude ?? [])
        let valid = table.values.map { !missingCodes.contains($0) }
        let frame = try row.frame.map { try Self.loadFrame($0, spec: spec) }
        // One row without levels (the valid answers), or one row per listed level.
        let levels: [String?] = row.levels.map { $0.map(Optional.some) } ?? [nil]
        var keys: [ComputedTable.Row] = []
        var cells: [TableCell] = []
        for level in levels {
            let key = level.map { "\(row.key)=\($0)" } ?? row.key
            let levelLabel = level.map { row.labels?[$0] ?? codebook.levelLabel(of: row.variable, code: $0) }
            let label = levelLabel.map { l in row.label.map { "\($0): \(l)" } ?? l } ?? row.label ?? codebook.label(of: row.variable)
            keys.append(ComputedTable.Row(key: key, label: label))
            for block in blocks {
                let groups = try block.by.map { try grouping($0, levels: block.levels, inBase: inBase) }
                for (g, code) in (groups?.labels ?? [""]).enumerated() {
                    // The cell's respondents, those with a valid answer, and those with the level.
                    var members = 0, answered = 0, withLevel = 0
                    for i in 0..<dataset.rowCount where inBase[i] && (groups == nil || groups!.codes[i] == Int32(g)) {
                        members += 1
                        let v = table.index[i]
                        guard valid[v] else { continue }
                        answered += 1
                        if let level, table.values[v] == level { withLevel += 1 }
                    }
                    let counted = level == nil ? answered : withLevel
                    var conditions = spec.base.filter ?? [:]
                    if let by = block.by { conditions[by] = [code] }
                    if let level { conditions[row.variable] = [level] }
                    let frameTotal = try frame.map { try Self.frameTotal($0, conditions: conditions, spec: spec) } ?? nil
                    let estimate: Double?
                    switch statistic {
                    case .count: estimate = Double(counted)
                    case .share:
                        let denominator = level == nil ? members : answered
                        estimate = denominator > 0 ? Double(counted) / Double(denominator) : nil
                    case .frame: estimate = frameTotal
                    case .rate: estimate = frameTotal.flatMap { $0 > 0 ? Double(counted) / $0 : nil }
                    case .percent, .mean: estimate = nil
                    }
                    let n = answered
                    let columnLabel = columns.first { $0.block == (block.by ?? "") && $0.code == code }?.label ?? "Totaal"
                    cells.append(TableCell(row: key, rowLabel: label, block: block.by ?? "", column: code, columnLabel: columnLabel,
                                           statistic: statistic, n: n, effectiveN: Double(n), estimate: estimate, standardError: nil,
                                           ciLow: nil, ciHigh: nil, flag: .none, verdict: nil, pValue: nil, trend: []))
                }
            }
        }
        return (keys, cells)
    }

    /// A row's frame file: absolute, or relative to the data folder (`frames/...`, as a scheme names its frames).
    static func loadFrame(_ file: String, spec: TableSpec) throws -> Frame {
        let path = file.hasPrefix("/") ? file : try BundledData.path(file)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(.spec, SourcePosition(file: spec.file ?? spec.key), "the frame file \(file) does not exist")
        }
        var frame = try Frame.load(path: path)
        frame.source = file
        return frame
    }

    /// The frame's total over its rows that fall in a cell (each condition: variable → allowed codes), or nil when
    /// a row the cell needs has `*` for a variable the cell restricts (the frame does not split that count).
    static func frameTotal(_ frame: Frame, conditions: [String: [String]], spec: TableSpec) throws -> Double? {
        var columns: [(index: Int, allowed: Set<String>)] = []
        for (variable, allowed) in conditions.sorted(by: { $0.key < $1.key }) {
            guard let k = frame.variables.firstIndex(of: variable) else {
                throw DataError(.spec, SourcePosition(file: spec.file ?? spec.key),
                                "the frame \(frame.source) has no column \(variable), which a cell of \(spec.name) needs")
            }
            columns.append((k, Set(allowed)))
        }
        var total = 0.0
        for cell in frame.cells {
            var inCell = true, unsplit = false
            for c in columns {
                let value = cell.values[c.index]
                if value == Frame.wildcard { unsplit = true } else if !c.allowed.contains(value) { inCell = false }
            }
            guard inCell else { continue }
            if unsplit { return nil }
            total += cell.total
        }
        return total
    }
}
