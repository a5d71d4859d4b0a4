/// Post-stratification (cell weighting).
///
/// With base (design) weights d_i and population count N_h of cell h, each respondent in h gets
/// w_i = d_i · N_h / Σ_{j ∈ h} d_j, so the weighted count of every cell equals its population count.
/// With equal base weights this is w_i = N_h / n_h. This is R survey's `postStratify()` (Lumley 2010,
/// §7.2; Kalton & Flores-Cervantes 2003, §2.1).
///
/// The base weights are first multiplied by the power of two 2^−e that puts the largest in [0.5, 1)
/// (`WeightLimits.normalized`; w_i does not depend on the scale of d, and a power of two is exact), so
/// Σ_{j∈h} d_j cannot overflow; a weight that still overflows or underflows is an error, never ∞ or 0.
public enum PostStratification {
    public static func weights(base unscaled: [Double], margin: Margin) throws(WeightingError) -> [Double] {
        let base = try WeightLimits.normalized(unscaled)
        let unmatched = margin.cellOfRow.indices.filter { margin.cellOfRow[$0] < 0 }
        if !unmatched.isEmpty {
            throw .unmatchedRows(margin: margin.name, rows: Array(unmatched.prefix(20)), values: [], total: unmatched.count)
        }
        let achieved = margin.weightedTotals(base)
        for (h, total) in achieved.enumerated() where total <= 0 {
            throw .emptyCell(margin: margin.name, cell: margin.labels[h], populationTotal: margin.totals[h])
        }
        let factor = zip(margin.totals, achieved).map { $0 / $1 }
        let w = base.indices.map { base[$0] * factor[Int(margin.cellOfRow[$0])] }
        try WeightLimits.checkResult(w)
        return w
    }
}

/// Raking (iterative proportional fitting) to several margins.
///
/// Repeats post-stratification to each margin in turn (rows outside a margin keep their weight on it,
/// and that margin's totals then act as shares of the weight inside it) until every margin's weighted totals are within `tolerance` (relative to the cell's target) of the
/// population totals. Converged raking equals calibration with the raking distance (Deville & Särndal
/// 1992; R survey's `rake()` and `calibrate(calfun = "raking")`). The base weights are rescaled by a power
/// of two first, as in `PostStratification`; when every margin leaves some respondents out (so no margin
/// fixes the scale), the result is proportional to the base weights and is scaled back by the same power.
public enum Raking {
    public struct Result: Sendable {
        public var weights: [Double]
        public var iterations: Int
        /// Largest |achieved − target| / target over all margin cells at the end.
        public var maxRelativeMisfit: Double
    }

    public static func weights(base unscaledBase: [Double], margins: [Margin], tolerance: Double = 1e-10,
                               maxIterations: Int = 1000) throws(WeightingError) -> Result {
        let base = try WeightLimits.normalized(unscaledBase)
        for margin in margins {
            let achieved = margin.weightedTotals(base)
            for (h, total) in achieved.enumerated() where total <= 0 {
                throw .emptyCell(margin: margin.name, cell: margin.labels[h], populationTotal: margin.totals[h])
            }
        }
        var w = base
        var iterations = 0
        while true {
            iterations += 1
            for margin in margins {
                let achieved = margin.weightedTotals(w)
                let factor = zip(targets(margin, w), achieved).map { $0 / $1 }
                for (i, c) in margin.cellOfRow.enumerated() where c >= 0 { w[i] *= factor[Int(c)] }
            }
            let (misfit, worst) = maxMisfit(w, margins)
            if misfit <= tolerance {
                if margins.allSatisfy({ $0.cellOfRow.contains { $0 < 0 } }), let d = unscaledBase.max(), let s = base.max(), d != s {
                    let back = d / s  // a power of two: exact
                    for i in w.indices { w[i] *= back }
                }
                try WeightLimits.checkResult(w)
                return Result(weights: w, iterations: iterations, maxRelativeMisfit: misfit)
            }
            if iterations >= maxIterations {
                let margin = margins[worst.margin]
                throw .notConverged(margin: margin.name, cell: margin.labels[worst.cell], target: margin.totals[worst.cell],
                                    achieved: margin.weightedTotals(w)[worst.cell], iterations: iterations)
            }
        }
    }

    /// A margin's targets. When some respondents are outside a margin (`unmatched: exclude_from_margin`),
    /// its totals are taken as shares of the weight of the respondents inside it, so the margins stay
    /// consistent and raking can converge.
    static func targets(_ margin: Margin, _ w: [Double]) -> [Double] {
        guard margin.cellOfRow.contains(where: { $0 < 0 }) else { return margin.totals }
        var inside = 0.0
        for (i, c) in margin.cellOfRow.enumerated() where c >= 0 { inside += w[i] }
        let total = margin.totals.reduce(0, +)
        return margin.totals.map { $0 / total * inside }
    }

    static func maxMisfit(_ w: [Double], _ margins: [Margin]) -> (Double, (margin: Int, cell: Int)) {
        var worst = 0.0, at = (margin: 0, cell: 0)
        for (m, margin) in margins.enumerated() {
            let target = targets(margin, w)
            for (h, achieved) in margin.weightedTotals(w).enumerated() {
                let misfit = abs(achieved - target[h]) / target[h]
                if misfit > worst { worst = misfit; at = (m, h) }
            }
        }
        return (worst, at)
    }
}

/// Weight trimming as R survey's `trimWeights()`: weights outside [lower, upper] are set to the bound,
/// and the total trimmed (Σ (w − w_trimmed)) is spread equally over the weights that were inside, so the
/// sum of weights is unchanged. Redistribution can push weights over a bound again; `strict` repeats until
/// none is outside.
public enum Trimming {
    public static func trim(_ weights: [Double], lower: Double = -.infinity, upper: Double = .infinity,
                            strict: Bool = false) throws(WeightingError) -> [Double] {
        guard lower < upper else { throw .invalidBounds(lower: lower, upper: upper) }
        var w = weights
        for _ in 0..<10_000 {
            let outside = w.map { $0 < lower || $0 > upper }
            let inside = outside.filter { !$0 }.count
            guard outside.contains(true), inside > 0 else { return w }
            var trimmed = 0.0
            var next = w
            for i in w.indices {
                next[i] = max(lower, min(w[i], upper))
                trimmed += w[i] - next[i]
            }
            let share = trimmed / Double(inside)
            for i in w.indices where !outside[i] { next[i] += share }
            w = next
            if !strict { return w }
        }
        return w
    }
}
