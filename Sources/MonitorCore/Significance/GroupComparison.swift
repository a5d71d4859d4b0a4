/// Design-based comparisons of domain means: a Wald t test on the difference of two domain estimates using
/// their covariance under the full design.
///
/// For domains a and b with estimates ȳ_a, ȳ_b: t = (ȳ_a − ȳ_b) / √(V_aa + V_bb − 2 V_ab), two-sided
/// p = 2 P(T_df > |t|) with df = degf(rows of a and b with an observed outcome) − 1. This is R survey's
/// `svyttest(y ~ I(group == a), design)` (a regression on the group indicator, whose coefficient and
/// sandwich variance equal the domain difference and its linearized variance; cran/survey R/svyttest.R),
/// and the test the Monitor report uses for "significant hoger/lager dan de andere groep".
public enum GroupComparison {
    /// Each group against the rest of the table (all other groups with an answer).
    public static func versusRest(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping,
                                  alpha: Double = 0.05, thresholds: ReportingThresholds = ReportingThresholds()) throws(DesignError) -> [Comparison] {
        try versusRest(design, variable: variable, outcome: outcome, by: by, alpha: alpha, thresholds: thresholds,
                       sums: design.domainSums(outcome, domains: by))
    }

    /// `versusRest` with the groups' sums already taken (nil: the general path).
    static func versusRest(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping, alpha: Double,
                           thresholds: ReportingThresholds, sums: DomainSums?) throws(DesignError) -> [Comparison] {
        var results: [Comparison] = []
        // Fast path: the sums of every group once, merged into group and rest per group.
        if let sums {
            for g in 0..<by.count {
                let split = sums.merged((0..<by.count).map { $0 == g ? 0 : 1 }, labels: [by.labels[g], "rest"])
                let means = try design.means(from: split)
                let df = Double(design.degreesOfFreedom(split, domains: [0, 1]) - 1)
                results += verdicts(means, df: df, variable: variable, kind: .groupVersusRest, comparisons: 1,
                                    alpha: alpha, thresholds: thresholds)
            }
            return results
        }
        for g in 0..<by.count {
            let target = Int32(g)
            let split = Grouping(labels: [by.labels[g], "rest"], codes: by.codes.map { $0 < 0 ? -1 : ($0 == target ? 0 : 1) })
            results += try compare(design, variable: variable, outcome: outcome, split: split, kind: .groupVersusRest,
                                   comparisons: 1, alpha: alpha, thresholds: thresholds)
        }
        return results
    }

    /// Every pair of groups, Bonferroni-adjusted for the c(c − 1)/2 pairs among the c groups with respondents.
    public static func pairwise(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping,
                                alpha: Double = 0.05, thresholds: ReportingThresholds = ReportingThresholds()) throws(DesignError) -> [Comparison] {
        var observed = [Int](repeating: 0, count: by.count)
        for i in 0..<design.rowCount where by.codes[i] >= 0 && outcome.isObserved(i) { observed[Int(by.codes[i])] += 1 }
        let c = observed.filter { $0 > 0 }.count
        let m = c * (c - 1) / 2
        var results: [Comparison] = []
        for a in 0..<by.count {
            for b in (a + 1)..<by.count {
                let split = Grouping(labels: [by.labels[a], by.labels[b]],
                                     codes: by.codes.map { $0 == Int32(a) ? 0 : ($0 == Int32(b) ? 1 : -1) })
                results += try compare(design, variable: variable, outcome: outcome, split: split, kind: .pairwise,
                                       comparisons: m, alpha: alpha, thresholds: thresholds)
            }
        }
        return results
    }

    /// Domain 0 of `split` against domain 1, for every level of the outcome.
    static func compare(_ design: SurveyDesign, variable: String, outcome: Outcome, split: Grouping, kind: Comparison.Kind,
                        comparisons m: Int, alpha: Double, thresholds: ReportingThresholds) throws(DesignError) -> [Comparison] {
        if let sums = design.domainSums(outcome, domains: split) {
            return verdicts(try design.means(from: sums), df: Double(design.degreesOfFreedom(sums, domains: [0, 1]) - 1),
                            variable: variable, kind: kind, comparisons: m, alpha: alpha, thresholds: thresholds)
        }
        let means = try design.means(outcome, domains: split)
        let df = Double(design.degreesOfFreedom { split.codes[$0] >= 0 && outcome.isObserved($0) } - 1)
        return verdicts(means, df: df, variable: variable, kind: kind, comparisons: m, alpha: alpha, thresholds: thresholds)
    }

    /// The t test of domain 0 against domain 1 for every level.
    static func verdicts(_ means: DomainMeans, df: Double, variable: String, kind: Comparison.Kind, comparisons m: Int,
                         alpha: Double, thresholds: ReportingThresholds) -> [Comparison] {
        var results: [Comparison] = []
        for l in 0..<means.levels.count {
            let a = means.estimate(level: l, domain: 0), b = means.estimate(level: l, domain: 1)
            let suppressed = thresholds.flag(n: means.n[0]) == .suppressed || thresholds.flag(n: means.n[1]) == .suppressed
            let v = means.variance(level: l, domain: 0) + means.variance(level: l, domain: 1) - 2 * means.covariance((l, 0), (l, 1))
            if suppressed || means.n[0] == 0 || means.n[1] == 0 || !(v > 0) || df < 1 {
                results.append(.untested(kind, variable: variable, level: means.levels[l], group: means.domains[0], other: means.domains[1],
                                         estimate: a, otherEstimate: b, n: means.n[0], otherN: means.n[1]))
                continue
            }
            let se = v.squareRoot()
            let t = (a - b) / se
            let p = Distributions.studentTTwoSided(t, df: df)
            let adjusted = bonferroni(p, comparisons: m)
            results.append(Comparison(kind: kind, variable: variable, level: means.levels[l], group: means.domains[0],
                                      other: means.domains[1], estimate: a, otherEstimate: b, difference: a - b,
                                      standardError: se, statistic: t, df: df, pValue: p, adjustedPValue: adjusted,
                                      verdict: Comparison.verdict(difference: a - b, p: adjusted, alpha: alpha),
                                      n: means.n[0], otherN: means.n[1]))
        }
        return results
    }
}
