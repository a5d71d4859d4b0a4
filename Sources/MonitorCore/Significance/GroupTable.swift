/// Which test decides whether a group differs from the rest of its block (or from another group).
public enum GroupTest: String, Sendable, CaseIterable, Codable {
    /// For proportions: the design-based Rao-Scott F test of the 2 × 2 table group × answer (R survey's
    /// `svychisq(~ingroup + y, design, statistic = "F")`), valid when a group's share is 0% or 100%.
    /// Means of numbers keep the Wald t test (there is no table).
    case raoScott = "rao-scott"
    /// The Wald t test on the difference of the domain estimates (R `svyttest`), for every outcome. At a
    /// 0% or 100% group its variance is 0 and t grows without bound: kept for comparison with earlier output.
    case wald
}

/// The joint shares of (group, answer) cells over a block's base and their design covariance, from which
/// every 2 × 2 table "group (or a pair of groups) × answer" of the block is tested.
///
/// Rao & Scott (1984); R survey `svychisq` (cran/survey R/surveychisq.R). For a 2 × 2 table with cell
/// shares π (summing to 1 over the table's base), the interaction contrast is c = (1, −1, −1, 1) (+ on the
/// diagonal) and, with u = D⁻¹c (0 where π = 0, R's `iDmat`):
///
///     X² = N (π₁₁π₂₂ − π₁₂π₂₁)² / (r₁ r₂ c₁ c₂)                    (Pearson, table scaled to N)
///     δ  = N uᵀ V̂ u / Σ_{π>0} 1/π                                     (R's Δ, one generalised design effect)
///     F  = X² / δ on 1 and ν df;   "Chisq": X²/δ against χ²₁ (R prints X² and this p)
///
/// N cancels: F = (Σ_{π>0} 1/π)(π₁₁π₂₂ − π₁₂π₂₁)² / (r₁r₂c₁c₂ · uᵀV̂u). The table's shares are sums of the
/// block's joint shares p_j, normalised by their total P over the groups compared: π = M p / P. Then
/// uᵀV̂u = aᵀ Ŵ a with Ŵ the joint shares' covariance and a_j = (u_{rc(j)} − ū)/P, ū = Σ π u = Σ_{π>0} ±1
/// (the linearization of the ratio p/P; for group against the rest P = 1 and the centring changes nothing,
/// because the shares' covariance sums to zero).
///
/// ν is R's `nu`: the design's PSUs minus strata, counted over the rows the table's design holds (all rows
/// of a calibrated design, whose subsets keep every row; the compared groups' rows otherwise).
struct JointShares {
    /// Joint share of (group d, level l) at d · L + l, over the base (rows with a group and an answer).
    var shares: [Double]
    /// Their covariance (row-major, same index).
    var covariance: [Double]
    var groups: Int
    var levels: Int

    /// From the groups' sums when there are (the fast path), else through the influence values.
    static func make(_ design: SurveyDesign, outcome: Outcome, by: Grouping, sums: DomainSums?) throws(DesignError) -> JointShares {
        if let sums { return try make(design, sums: sums) }
        return try make(design, outcome: outcome, by: by)
    }

    /// From the groups' sums of one pass (`DomainSums`): the joint cells are the sums of each (d, l) with one
    /// domain, the whole base. A 0/1 number becomes two levels, 0 and 1.
    static func make(_ design: SurveyDesign, sums: DomainSums) throws(DesignError) -> JointShares {
        let D = sums.D, L0 = sums.L, U = sums.rows.count / max(D, 1)
        let L = sums.numeric ? 2 : L0
        let K = D * L
        var joint = DomainSums(levels: (0..<K).map { String($0) }, domains: [""], numeric: false,
                               A: .init(repeating: 0, count: U * K), C: .init(repeating: 0, count: U * K),
                               E: .init(repeating: 0, count: U * K), B: .init(repeating: 0, count: U),
                               C0: .init(repeating: 0, count: U), E0: .init(repeating: 0, count: U),
                               Y2: .init(repeating: 0, count: U), rows: .init(repeating: 0, count: U),
                               cellCounts: .init(repeating: 0, count: K))
        for u in 0..<U {
            for d in 0..<D {
                let ud = u * D + d
                if sums.rows[ud] == 0 { continue }
                joint.B[u] += sums.B[ud]; joint.C0[u] += sums.C0[ud]; joint.E0[u] += sums.E0[ud]
                joint.rows[u] += sums.rows[ud]
                if sums.numeric {
                    // Sums of y − c_d with c_d ∈ {0, 1}: Σ w·y = A + c_d·B, and the 0s are the rest.
                    let c = sums.shift(d)
                    let a1 = sums.A[ud] + c * sums.B[ud], c1 = sums.C[ud] + c * sums.C0[ud], e1 = sums.E[ud] + c * sums.E0[ud]
                    let k0 = u * K + d * L
                    joint.A[k0] = sums.B[ud] - a1; joint.C[k0] = sums.C0[ud] - c1; joint.E[k0] = sums.E0[ud] - e1
                    joint.A[k0 + 1] = a1; joint.C[k0 + 1] = c1; joint.E[k0 + 1] = e1
                } else {
                    for l in 0..<L {
                        let k = u * K + d * L + l
                        joint.A[k] = sums.A[ud * L + l]; joint.C[k] = sums.C[ud * L + l]; joint.E[k] = sums.E[ud * L + l]
                    }
                }
            }
        }
        let means = try design.means(from: joint)
        return JointShares(shares: means.estimates.map { $0.isNaN ? 0 : $0 }, covariance: means.covariance, groups: D, levels: L)
    }

    /// Through the influence values (designs without the sums' fast path).
    static func make(_ design: SurveyDesign, outcome: Outcome, by: Grouping) throws(DesignError) -> JointShares {
        let D = by.count
        let L: Int, level: (Int) -> Int
        switch outcome {
        case .categorical(let y): L = y.count; level = { Int(y.codes[$0]) }
        case .numeric(let y): L = 2; level = { y[$0].isNaN ? -1 : (y[$0] == 1 ? 1 : 0) }
        }
        let codes = (0..<design.rowCount).map { i -> Int32 in
            let d = Int(by.codes[i]), l = level(i)
            return d < 0 || l < 0 ? -1 : Int32(d * L + l)
        }
        let cells = Grouping(labels: (0..<(D * L)).map { String($0) }, codes: codes)
        let means = try design.means(.categorical(cells))
        return JointShares(shares: means.estimates.map { $0.isNaN ? 0 : $0 }, covariance: means.covariance, groups: D, levels: L)
    }

    /// The 2 × 2 test of level `level` in group `group` against the groups `others` (the rest of the
    /// block, or one other group). nil when the table has an empty row or column (nothing to test).
    func test(group: Int, others: [Int], level: Int) -> (f: Double, pearsonShare: Double, difference: Double,
                                                         estimate: Double, otherEstimate: Double, standardError: Double)? {
        let L = levels, K = groups * levels
        // π_rc: r = 0 the group, 1 the others; c = 0 the level, 1 the other levels.
        var pi = [0.0, 0.0, 0.0, 0.0]
        func cell(_ d: Int, _ l: Int) -> Int { (d == group ? 0 : 2) + (l == level ? 0 : 1) }
        let members = [group] + others
        for d in members { for l in 0..<L { pi[cell(d, l)] += shares[d * L + l] } }
        let P = pi.reduce(0, +)
        guard P > 0 else { return nil }
        for k in 0..<4 { pi[k] /= P }
        let r1 = pi[0] + pi[1], r2 = pi[2] + pi[3], c1 = pi[0] + pi[2], c2 = pi[1] + pi[3]
        guard r1 > 0, r2 > 0 else { return nil }
        let estimate = pi[0] / r1, other = pi[2] / r2
        // Design SE of the difference of the two shares (delta method on the joint shares; the Wald test's SE).
        var gradient = [Double](repeating: 0, count: K)
        for d in members {
            for l in 0..<L {
                let inGroup = d == group, isLevel = l == level
                let g = inGroup ? (isLevel ? pi[1] / (r1 * r1) : -pi[0] / (r1 * r1))
                                : (isLevel ? -pi[3] / (r2 * r2) : pi[2] / (r2 * r2))
                gradient[d * L + l] = g / P
            }
        }
        let se = quadratic(gradient).squareRoot()
        guard c1 > 0, c2 > 0 else { return nil }
        let sign = [1.0, -1.0, -1.0, 1.0]
        var u = [0.0, 0.0, 0.0, 0.0], inverseSum = 0.0, ubar = 0.0
        for k in 0..<4 where pi[k] > 0 { u[k] = sign[k] / pi[k]; inverseSum += 1 / pi[k]; ubar += sign[k] }
        var a = [Double](repeating: 0, count: K)
        for d in members { for l in 0..<L { a[d * L + l] = (u[cell(d, l)] - ubar) / P } }
        let q = quadratic(a)
        let interaction = pi[0] * pi[3] - pi[1] * pi[2]
        let pearsonShare = interaction * interaction / (r1 * r2 * c1 * c2)
        guard q > 0 else { return nil }
        let f = inverseSum * pearsonShare / q
        return (f, pearsonShare, estimate - other, estimate, other, se)
    }

    /// The level's share in the group and in the others (NaN where a side has no respondents).
    func conditionalShares(group: Int, others: [Int], level: Int) -> (Double, Double) {
        let L = levels
        var a = 0.0, ra = 0.0, b = 0.0, rb = 0.0
        for l in 0..<L { ra += shares[group * L + l] }
        a = shares[group * L + level]
        for d in others { for l in 0..<L { rb += shares[d * L + l] }; b += shares[d * L + level] }
        return (ra > 0 ? a / ra : .nan, rb > 0 ? b / rb : .nan)
    }

    private func quadratic(_ x: [Double]) -> Double {
        let K = x.count
        var s = 0.0
        for i in 0..<K where x[i] != 0 {
            var row = 0.0
            for j in 0..<K where x[j] != 0 { row += covariance[i * K + j] * x[j] }
            s += x[i] * row
        }
        return s
    }
}
