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
    /// values: R survey's `svyrecvar` for a one-stage design.
    ///
    /// 1. Calibration residuals (R `svyrecvar`, "Remove post-stratum means"): for each post-stratification
    ///    step with cells h and weights g_i after the step, z_i ← z_i − g_i · Σ_{j∈h} z_j / Σ_{j∈h} g_j;
    ///    for raking, ten sweeps over the margins of z_i ← z_i − g_i · mean_{j∈h}(z_j / g_j) (unweighted cell
    ///    mean, as R does), with g the weights after that margin's adjustment.
    /// 2. PSU totals t_c = Σ_{i∈c} z_i.
    /// 3. Between-PSU variance within each stratum, summed over strata (R `onestrat`, Cochran 1977 §5.6, §9A):
    ///    V = Σ_h (1 − f_h) · n_h / (n_h − 1) · Σ_{c∈h} (t_c − t̄_h)(t_c − t̄_h)ᵀ, where n_h counts the
    ///    stratum's PSUs in the whole sample (PSUs outside a domain contribute t_c = 0, which is R's `svyby`
    ///    domain estimation) and 1 − f_h = (N_h − n_h)/N_h only with a finite population correction.
    ///    A stratum with N_h = n_h (a census) contributes nothing.
    public func covariance(_ influence: InfluenceMatrix) throws(DesignError) -> [Double] {
        precondition(influence.rows == rowCount)
        let k = influence.columns, n = rowCount
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
        // PSU totals, PSU after PSU (k values each).
        var totals = [Double](repeating: 0, count: psuCount * k)
        let psu = self.psu
        z.withUnsafeBufferPointer { zb in
            totals.withUnsafeMutableBufferPointer { tb in
                for j in 0..<k {
                    let base = j * n
                    for i in 0..<n { tb[Int(psu[i]) * k + j] += zb[base + i] }
                }
            }
        }
        // Stratum means of the PSU totals (over all n_h PSUs of the stratum).
        let strataCount = strataLabels.count
        var means = [Double](repeating: 0, count: strataCount * k)
        for c in 0..<psuCount {
            let h = Int(psuStratum[c])
            for j in 0..<k { means[h * k + j] += totals[c * k + j] }
        }
        for h in 0..<strataCount where psuPerStratum[h] > 0 {
            for j in 0..<k { means[h * k + j] /= Double(psuPerStratum[h]) }
        }
        var scale = [Double](repeating: 0, count: strataCount)
        var centred = [Bool](repeating: true, count: strataCount)
        for h in 0..<strataCount {
            let nh = psuPerStratum[h], f = finiteFactor[h]
            if f < 1e-7 { continue }  // census stratum (R: all(f < 1e-7) → 0)
            if nh > 1 {
                scale[h] = f * Double(nh) / Double(nh - 1)
            } else if nh == 1 {
                switch lonelyPSU {
                case .fail: throw .lonelyPSU(stratum: strataLabels[h])
                case .certainty, .remove: scale[h] = 0
                case .adjust: scale[h] = f; centred[h] = false
                }
            }
        }
        var v = [Double](repeating: 0, count: k * k)
        var d = [Double](repeating: 0, count: k)
        for c in 0..<psuCount {
            let h = Int(psuStratum[c])
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
        return v
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
