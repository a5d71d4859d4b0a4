/// Design-based comparisons of a group with the rest of its block, or of two groups.
///
/// Proportions (a category, or a 0/1 number) are tested by default with the Rao-Scott F test of the 2 × 2
/// table group × answer (`GroupTest.raoScott`, `JointShares`; R `svychisq(~ingroup + y, design)`), which
/// stays valid when a group's share is 0% or 100%. Means of numbers, and every outcome with
/// `GroupTest.wald`, use the Wald t test on the difference of the two domain estimates with their covariance
/// under the full design: t = (ȳ_a − ȳ_b) / √(V_aa + V_bb − 2 V_ab), two-sided p = 2 P(T_df > |t|) with
/// df = degf(rows of a and b with an observed outcome) − 1, R survey's `svyttest(y ~ I(group == a), design)`
/// (cran/survey R/svyttest.R). The verdict's direction is the sign of the difference of the estimates.
public enum GroupComparison {
    /// Each group against the rest of the table (all other groups with an answer): the report's
    /// "significant hoger/lager dan de andere groep".
    public static func versusRest(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping,
                                  alpha: Double = 0.05, thresholds: ReportingThresholds = ReportingThresholds(),
                                  test: GroupTest = .raoScott) throws(DesignError) -> [Comparison] {
        try versusRest(design, variable: variable, outcome: outcome, by: by, alpha: alpha, thresholds: thresholds,
                       sums: design.domainSums(outcome, domains: by), test: test)
    }

    /// `versusRest` with the groups' sums already taken (nil: the general path).
    static func versusRest(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping, alpha: Double,
                           thresholds: ReportingThresholds, sums: DomainSums?, test: GroupTest = .raoScott) throws(DesignError) -> [Comparison] {
        var results: [Comparison] = []
        if test == .raoScott, isProportion(outcome, sums: sums) {
            let joint = try JointShares.make(design, outcome: outcome, by: by, sums: sums)
            let n = observedCounts(outcome, by: by, sums: sums)
            let everyone = (0..<by.count).map { $0 }
            for g in 0..<by.count {
                results += raoScott(joint, group: g, others: everyone.filter { $0 != g }, labels: (by.labels[g], "rest"),
                                    n: (n[g], n.reduce(0, +) - n[g]), levels: outcome.levels, df: Double(design.degreesOfFreedom),
                                    variable: variable, kind: .groupVersusRest, comparisons: 1, alpha: alpha, thresholds: thresholds)
            }
            return results
        }
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

    /// Whether the outcome's estimates are proportions (the Rao-Scott table applies).
    static func isProportion(_ outcome: Outcome, sums: DomainSums?) -> Bool {
        if case .categorical = outcome { return true }
        return sums.map { $0.binary } ?? outcome.isProportion
    }

    /// Respondents of each group with an observed outcome.
    static func observedCounts(_ outcome: Outcome, by: Grouping, sums: DomainSums?) -> [Int] {
        if let sums {
            var n = [Int](repeating: 0, count: by.count)
            for (k, r) in sums.rows.enumerated() { n[k % sums.D] += r }
            return n
        }
        var n = [Int](repeating: 0, count: by.count)
        for i in 0..<by.rowCount where by.codes[i] >= 0 && outcome.isObserved(i) { n[Int(by.codes[i])] += 1 }
        return n
    }

    /// The Rao-Scott 2 × 2 verdicts of `group` against `others`, one per level (a 0/1 number: the level of 1s).
    static func raoScott(_ joint: JointShares, group: Int, others: [Int], labels: (String, String), n: (Int, Int),
                         levels: [String], df: Double, variable: String, kind: Comparison.Kind, comparisons m: Int,
                         alpha: Double, thresholds: ReportingThresholds) -> [Comparison] {
        var results: [Comparison] = []
        let numeric = levels == [""]
        for (l, label) in levels.enumerated() {
            let level = numeric ? 1 : l
            let suppressed = thresholds.flag(n: n.0) == .suppressed || thresholds.flag(n: n.1) == .suppressed
            let table = n.0 == 0 || n.1 == 0 ? nil : joint.test(group: group, others: others, level: level)
            guard let table, !suppressed, df >= 1 else {
                let shares = joint.conditionalShares(group: group, others: others, level: level)
                results.append(.untested(kind, variable: variable, level: label, group: labels.0, other: labels.1,
                                         estimate: shares.0, otherEstimate: shares.1, n: n.0, otherN: n.1))
                continue
            }
            let p = Distributions.fSurvival(table.f, df1: 1, df2: df)
            let adjusted = bonferroni(p, comparisons: m)
            results.append(Comparison(kind: kind, variable: variable, level: label, group: labels.0, other: labels.1,
                                      estimate: table.estimate, otherEstimate: table.otherEstimate, difference: table.difference,
                                      standardError: table.standardError, statistic: table.f, df: df, pValue: p,
                                      adjustedPValue: adjusted, verdict: Comparison.verdict(difference: table.difference, p: adjusted, alpha: alpha),
                                      n: n.0, otherN: n.1, method: .raoScottF))
        }
        return results
    }

    /// Every pair of groups, Bonferroni-adjusted for the c(c − 1)/2 pairs among the c groups with respondents.
    ///
    /// With `GroupTest.raoScott` a proportion's pair is the 2 × 2 table of the two groups' rows, as R's
    /// `svychisq(~ingroup + y, subset(design, group %in% c(a, b)))`: its ν counts the PSUs of the two groups'
    /// rows (all rows of a calibrated design, whose subset keeps them).
    public static func pairwise(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping,
                                alpha: Double = 0.05, thresholds: ReportingThresholds = ReportingThresholds(),
                                test: GroupTest = .raoScott) throws(DesignError) -> [Comparison] {
        var observed = [Int](repeating: 0, count: by.count)
        for i in 0..<design.rowCount where by.codes[i] >= 0 && outcome.isObserved(i) { observed[Int(by.codes[i])] += 1 }
        let c = observed.filter { $0 > 0 }.count
        let m = c * (c - 1) / 2
        var results: [Comparison] = []
        if test == .raoScott, isProportion(outcome, sums: nil) {
            let sums = design.domainSums(outcome, domains: by)
            let joint = try JointShares.make(design, outcome: outcome, by: by, sums: sums)
            for a in 0..<by.count {
                for b in (a + 1)..<by.count {
                    let df = design.calibrations.isEmpty
                        ? Double(design.degreesOfFreedom { by.codes[$0] == Int32(a) || by.codes[$0] == Int32(b) })
                        : Double(design.degreesOfFreedom)
                    results += raoScott(joint, group: a, others: [b], labels: (by.labels[a], by.labels[b]),
                                        n: (observed[a], observed[b]), levels: outcome.levels, df: df, variable: variable,
                                        kind: .pairwise, comparisons: m, alpha: alpha, thresholds: thresholds)
                }
            }
            return results
        }
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
            let difference = means.difference(level: l, domain: 0, domain: 1)
            let t = difference / se
            let p = Distributions.studentTTwoSided(t, df: df)
            let adjusted = bonferroni(p, comparisons: m)
            results.append(Comparison(kind: kind, variable: variable, level: means.levels[l], group: means.domains[0],
                                      other: means.domains[1], estimate: a, otherEstimate: b, difference: difference,
                                      standardError: se, statistic: t, df: df, pValue: p, adjustedPValue: adjusted,
                                      verdict: Comparison.verdict(difference: difference, p: adjusted, alpha: alpha),
                                      n: means.n[0], otherN: means.n[1]))
        }
        return results
    }
}
