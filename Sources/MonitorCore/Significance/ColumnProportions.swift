/// IBM SPSS "compare column proportions" (CTABLES `/COMPARETEST TYPE=PROP`, CROSSTABS `/BPROP`): a pooled
/// two-proportion z test between every pair of columns, Bonferroni-adjusted within each row.
///
/// For row category k and columns i, j with weighted proportions p_i, p_j and bases e_i, e_j:
/// p = (e_i p_i + e_j p_j)/(e_i + e_j) for unweighted data, and for weighted data the pooled weighted
/// proportion p = (Σ_i w y + Σ_j w y)/(Σ_i w + Σ_j w) with the effective base e = (Σw)²/Σw² (CTABLES
/// `/WEIGHT` "effective base weight"; IBM SPSS Statistics Algorithms, CTABLES "column proportions test";
/// IBM Dimensions "Statistical formulae: column proportions"); z = (p_i − p_j)/√(p(1 − p)(1/e_i + 1/e_j)),
/// two-sided p = 2(1 − Φ(|z|)), adjusted p = min(1, m·p) with m = c(c − 1)/2 for the c columns with a
/// base. With equal weights e is the column's n and the test is the classic pooled z test (the square root
/// of R's `prop.test(correct = FALSE)` statistic). Pairs whose pooled proportion is 0 or 1 are not tested.
///
/// This ignores strata and clusters: it is what the report's authors would get from SPSS tables, kept to
/// compare with the design-based tests.
public enum ColumnProportions {
    public static func compare(weights: [Double], variable: String, outcome: Outcome, by: Grouping, alpha: Double = 0.05,
                               thresholds: ReportingThresholds = ReportingThresholds()) -> [Comparison] {
        let levels = outcome.levels
        let C = by.count, L = levels.count
        var sw = [Double](repeating: 0, count: C), sw2 = [Double](repeating: 0, count: C), n = [Int](repeating: 0, count: C)
        var swy = [Double](repeating: 0, count: C * L)
        for i in 0..<weights.count where by.codes[i] >= 0 && outcome.isObserved(i) {
            let c = Int(by.codes[i]), w = weights[i]
            sw[c] += w
            sw2[c] += w * w
            n[c] += 1
            for l in 0..<L { swy[l * C + c] += w * outcome.value(i, level: l) }
        }
        let tested = (0..<C).filter { n[$0] > 0 && thresholds.flag(n: n[$0]) != .suppressed }
        let m = tested.count * (tested.count - 1) / 2
        var results: [Comparison] = []
        for l in 0..<L {
            for a in 0..<C {
                for b in (a + 1)..<C {
                    let pa = sw[a] > 0 ? swy[l * C + a] / sw[a] : .nan
                    let pb = sw[b] > 0 ? swy[l * C + b] / sw[b] : .nan
                    let ea = sw2[a] > 0 ? sw[a] * sw[a] / sw2[a] : 0
                    let eb = sw2[b] > 0 ? sw[b] * sw[b] / sw2[b] : 0
                    let pooled = (swy[l * C + a] + swy[l * C + b]) / (sw[a] + sw[b])
                    let se = (pooled * (1 - pooled) * (1 / ea + 1 / eb)).squareRoot()
                    guard tested.contains(a), tested.contains(b), se > 0 else {
                        results.append(.untested(.columnProportions, variable: variable, level: levels[l], group: by.labels[a],
                                                 other: by.labels[b], estimate: pa, otherEstimate: pb, n: n[a], otherN: n[b]))
                        continue
                    }
                    let z = (pa - pb) / se
                    let p = 2 * Distributions.normalSurvival(abs(z))
                    let adjusted = bonferroni(p, comparisons: m)
                    results.append(Comparison(kind: .columnProportions, variable: variable, level: levels[l], group: by.labels[a],
                                              other: by.labels[b], estimate: pa, otherEstimate: pb, difference: pa - pb,
                                              standardError: se, statistic: z, df: nil, pValue: p, adjustedPValue: adjusted,
                                              verdict: Comparison.verdict(difference: pa - pb, p: adjusted, alpha: alpha),
                                              n: n[a], otherN: n[b], method: .z))
                }
            }
        }
        return results
    }
}
