/// Single cells and single comparisons of a table, for checking published figures and statements.
extension TableEngine {
    /// The row specification and outcome of a row key (`variable` or `variable=level`).
    func rowOutcome(_ spec: TableSpec, row key: String, inBase: [Bool]) throws -> (Outcome, level: String, variable: String) {
        let parts = key.split(separator: "=", maxSplits: 1).map(String.init)
        let level = parts.count == 2 ? parts[1] : ""
        let candidates = spec.rows.filter { $0.variable == parts[0] }
        guard let rowSpec = candidates.first(where: { level.isEmpty || $0.levels == nil || $0.levels!.contains(level) }) ?? candidates.first else {
            throw DataError(.spec, SourcePosition(file: spec.file ?? spec.key), "\(spec.name) has no row \(key)")
        }
        let (outcome, _, _) = try outcome(rowSpec, inBase: inBase)
        return (outcome, level, rowSpec.variable)
    }

    /// Respondents of the table's base with a valid answer to the row (the n a report prints for a whole table).
    public func rowBaseN(_ spec: TableSpec, row key: String) throws -> Int {
        let inBase = try baseMask(spec)
        let (outcome, _, _) = try rowOutcome(spec, row: key, inBase: inBase)
        return (0..<dataset.rowCount).filter { outcome.isObserved($0) }.count
    }

    /// Group `group` against group `other` of the same column block, one test (no multiple-comparison adjustment):
    /// the report's "significant hoger dan …" between two named groups.
    public func compare(_ spec: TableSpec, row key: String, block: String, group: String, other: String) throws -> Comparison? {
        let inBase = try baseMask(spec)
        let (outcome, level, variable) = try rowOutcome(spec, row: key, inBase: inBase)
        let levels = spec.columns.first { $0.by == block }?.levels
        let groups = try grouping(block, levels: levels, inBase: inBase)
        guard let a = groups.labels.firstIndex(of: group), let b = groups.labels.firstIndex(of: other) else { return nil }
        let split = Grouping(labels: [group, other], codes: groups.codes.map { $0 == Int32(a) ? 0 : ($0 == Int32(b) ? 1 : -1) })
        let results = try GroupComparison.compare(design, variable: variable, outcome: outcome, split: split, kind: .pairwise,
                                                  comparisons: 1, alpha: alpha, thresholds: thresholds)
        return results.first { $0.level == level } ?? (level.isEmpty ? results.first : nil)
    }
}
