/// The outcome of one significance test between a group and something it is compared with.
public struct Comparison: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The group against the rest of the table (the report's "significant hoger/lager dan de andere groep").
        case groupVersusRest = "group_vs_rest"
        /// Two groups, design-based, Bonferroni-adjusted over the pairs of a row.
        case pairwise
        /// IBM SPSS "compare column proportions" z-test (CTABLES COMPARETEST), Bonferroni-adjusted.
        case columnProportions = "column_proportions"
        /// The group's estimate against a previous wave known by its published percentage and n.
        case trend
    }

    /// The statistic behind the p-value.
    public enum Method: String, Sendable, Codable {
        /// Design-based Wald t on the difference of domain estimates (R `svyttest`).
        case waldT = "wald_t"
        /// Design-based Rao-Scott F of the 2 × 2 table group × answer (R `svychisq(statistic = "F")`).
        case raoScottF = "rao_scott_F"
        /// A normal z (SPSS column proportions, trend against a published figure).
        case z
    }

    public enum Verdict: String, Sendable, Codable {
        case higher
        case lower
        case notSignificant = "not_significant"
        /// No test: a side without respondents, no variance, or a suppressed group.
        case notTested = "not_tested"
    }

    public var kind: Kind
    public var variable: String
    public var level: String
    public var group: String
    /// What the group is compared with: "rest", another group, or the previous wave's label.
    public var other: String
    public var estimate: Double
    public var otherEstimate: Double
    /// estimate − otherEstimate
    public var difference: Double
    public var standardError: Double
    /// t (Wald), F (Rao-Scott) or z (SPSS, trend): see `method`.
    public var statistic: Double
    /// Degrees of freedom of t, or the denominator df of F (numerator 1); nil for a normal z.
    public var df: Double?
    public var pValue: Double
    /// p after the multiple-comparison adjustment (Bonferroni), equal to pValue when none applies.
    public var adjustedPValue: Double
    public var verdict: Verdict
    public var n: Int
    public var otherN: Int
    public var method: Method = .waldT
    /// The codebook's labels of the level, the group and the other group (nil without a codebook).
    public var levelLabel: String? = nil
    public var groupLabel: String? = nil
    public var otherLabel: String? = nil

    enum CodingKeys: String, CodingKey {
        case kind = "test", method, variable, level, group, other, estimate, otherEstimate = "other_estimate", difference,
             standardError = "se", statistic, df, pValue = "p_value", adjustedPValue = "p_adjusted", verdict, n,
             otherN = "other_n", levelLabel = "level_label", groupLabel = "group_label", otherLabel = "other_label"
    }

    /// Non-finite numbers (an untested comparison) are written as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func number(_ x: Double?, _ key: CodingKeys) throws {
            if let x, x.isFinite { try c.encode(x, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try c.encode(kind, forKey: .kind)
        try c.encode(method, forKey: .method)
        try c.encode(variable, forKey: .variable)
        try c.encode(level, forKey: .level)
        try c.encode(group, forKey: .group)
        try c.encode(other, forKey: .other)
        try number(estimate, .estimate)
        try number(otherEstimate, .otherEstimate)
        try number(difference, .difference)
        try number(standardError, .standardError)
        try number(statistic, .statistic)
        try number(df, .df)
        try number(pValue, .pValue)
        try number(adjustedPValue, .adjustedPValue)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(n, forKey: .n)
        try c.encode(otherN, forKey: .otherN)
    }

    /// The verdict at significance level `alpha` (two-sided) from the adjusted p-value.
    static func verdict(difference: Double, p: Double, alpha: Double) -> Verdict {
        if p.isNaN { return .notTested }
        if p < alpha { return difference > 0 ? .higher : .lower }
        return .notSignificant
    }

    static func untested(_ kind: Kind, variable: String, level: String, group: String, other: String,
                         estimate: Double, otherEstimate: Double, n: Int, otherN: Int) -> Comparison {
        Comparison(kind: kind, variable: variable, level: level, group: group, other: other, estimate: estimate,
                   otherEstimate: otherEstimate, difference: estimate - otherEstimate, standardError: .nan,
                   statistic: .nan, df: nil, pValue: .nan, adjustedPValue: .nan, verdict: .notTested, n: n, otherN: otherN)
    }
}

/// Bonferroni: p_adj = min(1, m·p) for m comparisons.
public func bonferroni(_ p: Double, comparisons m: Int) -> Double { min(1, p * Double(max(m, 1))) }
