/// Single cells and single comparisons of a table, for checking published figures and statements.
extension TableEngine {
    /// The row specification and outcome of a row key (`variable` or `variable=level`).
    func rowOutcome(_ spec: TableSpec, row key: String, inBase: [Bool]) throws -> (Outcome, level: String, variable: String) {
        let parts = key.split(separator: "=", maxSplits: 1).map(String.init)
        let level = parts.count == 2 ? parts[1] : ""
        let candidates = spec.rows.filter { $0.key == parts[0] }
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

    /// Unweighted respondents of the table's base (and of group `column` of block `block`, unless `block` is
    /// empty) with the row's level, or with a valid answer when the key has no level: a count the report prints.
    public func count(_ spec: TableSpec, row key: String, block: String, column: String) throws -> Int {
        let inBase = try baseMask(spec)
        let (outcome, level, _) = try rowOutcome(spec, row: key, inBase: inBase)
        var member = inBase
        if !block.isEmpty {
            let levels = spec.columns.first { $0.by == block }?.levels
            let groups = try grouping(block, levels: levels, inBase: inBase)
            guard let g = groups.labels.firstIndex(of: column) else {
                throw DataError(.spec, SourcePosition(file: spec.file ?? spec.key), "\(spec.name) has no group \(column) in block \(block)")
            }
            for i in member.indices where groups.codes[i] != Int32(g) { member[i] = false }
        }
        switch outcome {
        case .numeric(let y):
            // A 0/1 row: the level "1" is the respondents with 1.
            return member.indices.filter { member[$0] && !y[$0].isNaN && (level.isEmpty || (level == "1" && y[$0] == 1) || (level == "0" && y[$0] == 0)) }.count
        case .categorical(let g):
            let k = level.isEmpty ? nil : g.labels.firstIndex(of: level).map(Int32.init)
            if !level.isEmpty && k == nil { return 0 }
            return member.indices.filter { member[$0] && g.codes[$0] >= 0 && (k == nil || g.codes[$0] == k!) }.count
        }
    }

    /// One row's outcome over the table's base, and one column block's groups.
    func blockRow(_ spec: TableSpec, row key: String, block: String) throws
        -> (outcome: Outcome, level: String, variable: String, groups: Grouping) {
        let inBase = try baseMask(spec)
        let (outcome, level, variable) = try rowOutcome(spec, row: key, inBase: inBase)
        let levels = spec.columns.first { $0.by == block }?.levels
        return (outcome, level, variable, try grouping(block, levels: levels, inBase: inBase))
    }

    /// Group `group` against the rest of its column block for one row: the test behind the cell's mark (`groupTest`),
    /// without computing the whole table.
    public func compareWithRest(_ spec: TableSpec, row key: String, block: String, group: String) throws -> Comparison? {
        let (outcome, level, variable, groups) = try blockRow(spec, row: key, block: block)
        let results = try GroupComparison.versusRest(design, variable: variable, outcome: outcome, by: groups, alpha: alpha,
                                                     thresholds: thresholds, test: groupTest)
        return results.first { $0.group == group && (level.isEmpty || $0.level == level) }
    }

    /// Group `group` against group `other` of the same column block: the pairwise test of `monitor test` (`groupTest`:
    /// the Rao-Scott 2 × 2 table for a proportion, or the design-based t), Bonferroni-adjusted for the pairs among the
    /// block's groups (the verdict uses the adjusted p).
    public func compare(_ spec: TableSpec, row key: String, block: String, group: String, other: String) throws -> Comparison? {
        let (outcome, level, variable, groups) = try blockRow(spec, row: key, block: block)
        let results = try GroupComparison.pairwise(design, variable: variable, outcome: outcome, by: groups, alpha: alpha,
                                                   thresholds: thresholds, test: groupTest)
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
