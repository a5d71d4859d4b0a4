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

    /// Group `group` against group `other` of the same column block: the pairwise design-based t test of
    /// `monitor test`, Bonferroni-adjusted for the pairs among the block's groups (the verdict uses the adjusted p).
    public func compare(_ spec: TableSpec, row key: String, block: String, group: String, other: String) throws -> Comparison? {
        let inBase = try baseMask(spec)
        let (outcome, level, variable) = try rowOutcome(spec, row: key, inBase: inBase)
        let levels = spec.columns.first { $0.by == block }?.levels
        let groups = try grouping(block, levels: levels, inBase: inBase)
        let results = try GroupComparison.pairwise(design, variable: variable, outcome: outcome, by: groups, alpha: alpha, thresholds: thresholds)
        let matching = results.filter { level.isEmpty || $0.level == level }
        if let c = matching.first(where: { $0.group == group && $0.other == other }) { return c }
        guard var c = matching.first(where: { $0.group == other && $0.other == group }) else { return nil }
        // Reported the other way round: flip the direction.
        swap(&c.group, &c.other)
        swap(&c.estimate, &c.otherEstimate)
        swap(&c.n, &c.otherN)
        c.difference = -c.difference
        c.statistic = -c.statistic
        c.verdict = c.verdict == .higher ? .lower : c.verdict == .lower ? .higher : c.verdict
        return c
    }
}
