/// Influence values (linearized estimating functions) of k estimators: `columns` columns of `rows`
/// values each, stored column after column.
public struct InfluenceMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        values = [Double](repeating: 0, count: rows * columns)
    }

    @inline(__always) public subscript(row: Int, column: Int) -> Double {
        get { values[column * rows + row] }
        set { values[column * rows + row] = newValue }
    }
}

extension SurveyDesign {
    /// The estimated covariance matrix (k × k, row-major) of k estimators with the given influence
    /// values: R survey's `svyrecvar` (survey 4.1.1, R/multistage.R: `svyrecvar`, `multistage`, `onestage`,
    /// `onestrat`).
    ///
    /// 1. Calibration residuals (R `svyrecvar`, "Remove post-stratum means"): for each post-stratification
    ///    step with cells h and weights g_i after the step, z_i ← z_i − g_i · Σ_{j∈h} z_j / Σ_{j∈h} g_j;
    ///    for raking, ten sweeps over the margins of z_i ← z_i − g_i · mean_{j∈h}(z_j / g_j) (unweighted cell
    ///    mean, as R does), with g the weights after that margin's adjustment.
    /// 2. PSU totals t_c = Σ_{i∈c} z_i.
    /// 3. Between-PSU variance within each stratum, summed over strata (R `onestage`, `onestrat`; Cochran 1977
    ///    §5.6, §9A): V₁ = Σ_h (1 − f_h) · n_h / (n_h − 1) · Σ_{c∈h} (t_c − t̄_h)(t_c − t̄_h)ᵀ, where n_h counts the
    ///    stratum's PSUs in the whole sample (PSUs outside a domain contribute t_c = 0, which is R's `svyby`
    ///    domain estimation) and 1 − f_h = (N_h − n_h)/N_h only with a finite population correction.
    ///    A stratum with N_h = n_h (a census) contributes nothing. A stratum with one PSU follows `lonelyPSU`;
    ///    with `.average` V₁ is multiplied by nstrat / nokstrat (strata / strata that have a contribution).
    /// 4. Later stages, only with a finite population correction (R `multistage`, Cochran 1977 §10.2, §11.2):
    ///    V = V₁ + Σ_c (n_h/N_h) · V_c, with V_c the same three steps applied to the rows of PSU c, its
    ///    stage-2 units as the PSUs of a single stratum (n_c sampled out of N_c), and so on down the stages:
    ///    a stage-s contribution is weighted by the product of the sampling fractions of the stages above it.
    public func covariance(_ influence: InfluenceMatrix) throws(DesignError) -> [Double] {
        precondition(influence.rows == rowCount)
        let k = influence.columns
        var z = influence.values
        for step in calibrations {
            switch step {
            case .postStratification(let margin):
                removeCellMeans(&z, k: k, margin: margin, weighted: true)
            case .raking(let margins):
                for _ in 0..<10 {
                    for margin in margins { removeCellMeans(&z, k: k, margin: margin, weighted: false) }
                }
            }
        }
        let first = try stageCovariance(totals: unitTotals(z, k: k, unit: psu, count: psuCount), k: k, group: psuStratum,
                                        sampled: psuPerStratum, factor: finiteFactor, weight: nil) { h throws(DesignError) in
            throw .lonelyPSU(stratum: strataLabels[h])
        }
        var v = first.v
        if first.missing > 0 {
            // R onestage: Σ over strata with a contribution · nstrat / nokstrat.
            let groups = Double(first.groups), ok = Double(first.groups - first.missing)
            for i in v.indices { v[i] = v[i] * groups / ok }
        }
        guard hasFPC, !laterStages.isEmpty else { return v }
        // Weight of each unit's later-stage variance: the product of the sampling fractions above it.
        var weight = psuStratum.map { $0 >= 0 ? samplingFraction[Int($0)] : 0 }
        for (s, stage) in laterStages.enumerated() {
            let later = try stageCovariance(totals: unitTotals(z, k: k, unit: stage.unit, count: stage.unitCount), k: k,
                                            group: stage.parent, sampled: stage.sampled, factor: stage.finiteFactor,
                                            weight: weight) { c throws(DesignError) in
                throw .lonelyUnit(stage: s + 2, cluster: stage.parentLabels[c])
            }
            // R: each previous-stage unit is a stratum of its own, so a missing contribution gives 0 · 1/0.
            if later.missing > 0 { return [Double](repeating: .nan, count: k * k) }
            for i in v.indices { v[i] += later.v[i] }
            weight = stage.parent.map { weight[Int($0)] * stage.fraction[Int($0)] }
        }
        return v
    }

    /// Totals of the k columns of z per unit (unit after unit, k values each).
    private func unitTotals(_ z: [Double], k: Int, unit: [Int32], count: Int) -> [Double] {
        let n = rowCount
        var totals = [Double](repeating: 0, count: count * k)
        z.withUnsafeBufferPointer { zb in
            totals.withUnsafeMutableBufferPointer { tb in
                for j in 0..<k {
                    let base = j * n
                    for i in 0..<n { tb[Int(unit[i]) * k + j] += zb[base + i] }
                }
            }
        }
        return totals
    }

    /// R `onestrat` for every group of units (a stratum at stage 1, a previous-stage unit later), summed with the
    /// groups' weights (1 at stage 1): Σ_g weight_g · (1 − f_g) n_g/(n_g − 1) Σ_{u∈g} (t_u − t̄_g)(t_u − t̄_g)ᵀ, t̄_g
    /// the mean over the group's n_g sampled units. A census group (1 − f_g < 1e-7) contributes 0; a group with one
    /// unit follows `lonelyPSU` (`.average`: no contribution, counted in `missing`). Also returns the number of
    /// groups with units.
    private func stageCovariance(totals: [Double], k: Int, group: [Int32], sampled: [Int], factor: [Double], weight: [Double]?,
                                 fail: (Int) throws(DesignError) -> Void) throws(DesignError) -> (v: [Double], groups: Int, missing: Int) {
        let groupCount = sampled.count, unitCount = group.count
        var means = [Double](repeating: 0, count: groupCount * k)
        for c in 0..<unitCount where group[c] >= 0 {
            let h = Int(group[c])
            for j in 0..<k { means[h * k + j] += totals[c * k + j] }
        }
        for h in 0..<groupCount where sampled[h] > 0 {
            for j in 0..<k { means[h * k + j] /= Double(sampled[h]) }
        }
        var scale = [Double](repeating: 0, count: groupCount)
        var centred = [Bool](repeating: true, count: groupCount)
        var groups = 0, missing = 0
        for h in 0..<groupCount where sampled[h] > 0 {
            groups += 1
            let nh = sampled[h], f = factor[h]
            if f < 1e-7 { continue }  // census (R: all(f < 1e-7) → 0)
            if nh > 1 {
                scale[h] = f * Double(nh) / Double(nh - 1)
            } else {
                switch lonelyPSU {
                case .fail: try fail(h)
                case .certainty, .remove: scale[h] = 0
                case .adjust: scale[h] = f; centred[h] = false
                case .average: missing += 1
                }
            }
            if let weight { scale[h] *= weight[h] }
        }
        var v = [Double](repeating: 0, count: k * k)
        var d = [Double](repeating: 0, count: k)
        for c in 0..<unitCount where group[c] >= 0 {
            let h = Int(group[c])
            let s = scale[h]
            if s == 0 { continue }
            for j in 0..<k { d[j] = totals[c * k + j] - (centred[h] ? means[h * k + j] : 0) }
            for a in 0..<k {
                let da = d[a] * s
                if da == 0 { continue }
                for b in a..<k { v[a * k + b] += da * d[b] }
            }
        }
        for a in 0..<k { for b in 0..<a { v[a * k + b] = v[b * k + a] } }
        return (v, groups, missing)
    }

    /// z_i ← z_i − g_i · m_h with m_h = Σ_h z / Σ_h g (weighted) or mean_h(z/g) (unweighted), per column.
    private func removeCellMeans(_ z: inout [Double], k: Int, margin: CalibrationMargin, weighted: Bool) {
        let n = rowCount, cells = margin.cells, g = margin.weights
        var denominator = [Double](repeating: 0, count: margin.cellCount)
        for i in 0..<n where cells[i] >= 0 { denominator[Int(cells[i])] += weighted ? g[i] : 1 }
        var sums = [Double](repeating: 0, count: margin.cellCount)
        z.withUnsafeMutableBufferPointer { zb in
            for j in 0..<k {
                let base = j * n
                for h in sums.indices { sums[h] = 0 }
                for i in 0..<n where cells[i] >= 0 {
                    sums[Int(cells[i])] += weighted ? zb[base + i] : zb[base + i] / g[i]
                }
                for h in sums.indices { sums[h] = denominator[h] > 0 ? sums[h] / denominator[h] : 0 }
                for i in 0..<n where cells[i] >= 0 { zb[base + i] -= g[i] * sums[Int(cells[i])] }
            }
        }
    }
}
