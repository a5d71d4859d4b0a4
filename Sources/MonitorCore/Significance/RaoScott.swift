/// Rao-Scott corrected Pearson chi-square test of independence for a two-way table under the design: R
/// survey's `svychisq(~row + column, design, statistic = "F" | "Chisq")` (cran/survey R/surveychisq.R;
/// Rao & Scott 1984; Thomas & Rao 1987).
///
/// With p̂ the estimated cell proportions (r × c, row index fastest) over rows where both variables are
/// observed, V̂ their design covariance, and N the design's row count (R's `nrow`, rows with a missing value
/// included):
/// - X² = Pearson's statistic on the weighted table scaled to total N (`svytable(..., Ntotal = N)`).
/// - C = the interaction contrasts orthogonal to the main effects: C = (I − X₁(X₁ᵀX₁)⁻¹X₁ᵀ) X₁₂ with X₁ the
///   main-effects model matrix of the r × c cells and X₁₂ the interaction columns; D = diag(p̂).
/// - Δ = (Cᵀ D⁻¹ C / N)⁻¹ (Cᵀ D⁻¹ V̂ D⁻¹ C), the generalised design effects.
/// - "F" (second-order): F = X² / tr Δ on d₀ = (tr Δ)² / tr Δ² and d₀ · ν degrees of freedom, ν = degf(design).
/// - "Chisq" (first-order): X² / mean(diag Δ) against χ² on (r − 1)(c − 1) df; R prints the unadjusted X².
public struct RaoScottTest: Sendable, Equatable, Codable {
    public var variable: String
    public var by: String
    /// Pearson X² of the weighted table scaled to N.
    public var pearson: Double
    public var rows: Int
    public var columns: Int
    /// Second-order (F) correction.
    public var f: Double
    public var numeratorDF: Double
    public var denominatorDF: Double
    public var fPValue: Double
    /// First-order correction: X² / mean(δ), referred to χ² on (r − 1)(c − 1) df.
    public var chisq: Double
    public var chisqDF: Int
    public var chisqPValue: Double
    /// Mean generalised design effect.
    public var meanDesignEffect: Double

    enum CodingKeys: String, CodingKey {
        case variable, by, pearson = "pearson_x2", rows, columns, f = "F", numeratorDF = "ndf", denominatorDF = "ddf",
             fPValue = "p_value_F", chisq = "chisq_adjusted", chisqDF = "chisq_df", chisqPValue = "p_value_chisq",
             meanDesignEffect = "mean_deff"
    }

    /// nil when the table has fewer than two observed rows or columns.
    public static func test(_ design: SurveyDesign, variable: String, outcome: Grouping, by: String, groups: Grouping) throws(DesignError) -> RaoScottTest? {
        let n = design.rowCount
        // Levels observed where both variables are, in label order.
        var rowSeen = [Bool](repeating: false, count: outcome.count), colSeen = [Bool](repeating: false, count: groups.count)
        for i in 0..<n where outcome.codes[i] >= 0 && groups.codes[i] >= 0 {
            rowSeen[Int(outcome.codes[i])] = true
            colSeen[Int(groups.codes[i])] = true
        }
        let rowMap = compacted(rowSeen), colMap = compacted(colSeen)
        let r = rowMap.count, c = colMap.count
        guard r >= 2, c >= 2 else { return nil }
        let rowIndex = indexTable(rowSeen), colIndex = indexTable(colSeen)
        let cells = Grouping(labels: (0..<(r * c)).map { "\($0)" }, codes: (0..<n).map { i in
            let a = outcome.codes[i], b = groups.codes[i]
            if a < 0 || b < 0 { return -1 }
            return Int32(rowIndex[Int(a)] + r * colIndex[Int(b)])
        })
        let means = try design.means(.categorical(cells))
        let k = r * c
        let p = means.estimates
        let V = DenseMatrix(rows: k, columns: k, values: means.covariance)
        let N = Double(n)

        // Pearson X² on the table scaled to N.
        var rowTotals = [Double](repeating: 0, count: r), colTotals = [Double](repeating: 0, count: c)
        for a in 0..<r { for b in 0..<c { rowTotals[a] += N * p[a + r * b]; colTotals[b] += N * p[a + r * b] } }
        var x2 = 0.0
        for a in 0..<r {
            for b in 0..<c {
                let expected = rowTotals[a] * colTotals[b] / N
                let d = N * p[a + r * b] - expected
                x2 += d * d / expected
            }
        }

        // Main effects X₁ and interaction columns X₁₂ of the r × c cells.
        var X1 = DenseMatrix(rows: k, columns: r + c - 1)
        var X12 = DenseMatrix(rows: k, columns: (r - 1) * (c - 1))
        for b in 0..<c {
            for a in 0..<r {
                let cell = a + r * b
                X1[cell, 0] = 1
                if a > 0 { X1[cell, a] = 1 }
                if b > 0 { X1[cell, r - 1 + b] = 1 }
                if a > 0 && b > 0 { X12[cell, (a - 1) + (r - 1) * (b - 1)] = 1 }
            }
        }
        let X1t = X1.transposed
        guard let projection = (X1t * X1).solve(X1t * X12) else { return nil }
        let C = X12 - X1 * projection
        let inverseD = DenseMatrix.diagonal(p.map { $0 == 0 ? 0 : 1 / $0 })
        let Ct = C.transposed
        let denominator = (1 / N) * (Ct * inverseD * C)
        let numerator = Ct * inverseD * V * inverseD * C
        guard let delta = denominator.solve(numerator) else { return nil }
        let trace = delta.trace
        let trace2 = (delta * delta).trace
        let d0 = trace * trace / trace2
        let nu = Double(design.degreesOfFreedom)
        let f = x2 / trace
        let df = (r - 1) * (c - 1)
        let meanDelta = trace / Double(df)
        return RaoScottTest(variable: variable, by: by, pearson: x2, rows: r, columns: c, f: f, numeratorDF: d0,
                            denominatorDF: d0 * nu, fPValue: Distributions.fSurvival(f, df1: d0, df2: d0 * nu),
                            chisq: x2 / meanDelta, chisqDF: df,
                            chisqPValue: Distributions.chiSquaredSurvival(x2 / meanDelta, df: Double(df)),
                            meanDesignEffect: meanDelta)
    }

    private static func compacted(_ seen: [Bool]) -> [Int] { seen.indices.filter { seen[$0] } }
    private static func indexTable(_ seen: [Bool]) -> [Int] {
        var next = 0
        return seen.map { s in
            defer { if s { next += 1 } }
            return s ? next : -1
        }
    }
}
