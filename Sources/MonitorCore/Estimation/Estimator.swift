/// One estimate: a level of a variable in a group (or the whole sample).
public struct EstimateRow: Sendable, Equatable, Codable {
    public var variable: String
    /// The outcome category; empty for a number or a 0/1 variable.
    public var level: String
    /// The domain; empty for the whole sample.
    public var group: String
    /// Respondents in the group with a valid answer (unweighted base).
    public var n: Int
    /// Kish's effective n of the base: (Σw)² / Σw².
    public var effectiveN: Double
    /// Proportion (0-1) or mean; nil when suppressed.
    public var estimate: Double?
    public var standardError: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    /// Degrees of freedom behind the interval.
    public var df: Int
    public var flag: SmallGroupFlag
    /// The codebook's labels of the level and the group (nil without a codebook, or for the whole sample).
    public var levelLabel: String? = nil
    public var groupLabel: String? = nil

    enum CodingKeys: String, CodingKey {
        case variable, level, group, n, effectiveN = "n_eff", estimate, standardError = "se", ciLow = "ci_low", ciHigh = "ci_high", df, flag,
             levelLabel = "level_label", groupLabel = "group_label"
    }
}

public struct EstimationOptions: Sendable {
    public var interval: IntervalMethod
    public var level: Double
    public var thresholds: ReportingThresholds

    public init(interval: IntervalMethod = .logit, level: Double = 0.95, thresholds: ReportingThresholds = ReportingThresholds()) {
        self.interval = interval
        self.level = level
        self.thresholds = thresholds
    }
}

public enum Estimator {
    /// Estimates of `outcome` for the whole sample and, with `by`, for each of its groups (R `svymean` and
    /// `svyby`, with `svyciprop` intervals for proportions and t intervals for means).
    ///
    /// Interval degrees of freedom follow R: the design's df for the whole sample, the domain's df
    /// (`degf(subset(design, group))`) for a group. Groups are listed in `by`'s label order.
    /// With `includeOverall: false` only the groups' rows are computed.
    public static func estimate(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping? = nil,
                                options: EstimationOptions = EstimationOptions(), includeOverall: Bool = true) throws(DesignError) -> [EstimateRow] {
        try estimate(design, variable: variable, outcome: outcome, by: by, options: options, includeOverall: includeOverall,
                     sums: by.flatMap { design.domainSums(outcome, domains: $0) })
    }

    /// `estimate` with the groups' sums already taken (`SurveyDesign.domainSums`), so that the tests of the
    /// same groups reuse them.
    static func estimate(_ design: SurveyDesign, variable: String, outcome: Outcome, by: Grouping?, options: EstimationOptions,
                         includeOverall: Bool, sums: DomainSums?) throws(DesignError) -> [EstimateRow] {
        var rows: [EstimateRow] = []
        let proportion = sums.map { !$0.numeric || $0.binary } ?? outcome.isProportion
        if includeOverall || by == nil {
            let overall = try design.means(outcome)
            rows += makeRows(overall, variable: variable, outcome: outcome, groupLabel: { _ in "" }, proportion: proportion,
                             df: { _ in design.degreesOfFreedom }, designRows: { _ in design.rowCount }, options: options)
        }
        if let by {
            let perDomain: DomainMeans
            if let sums { perDomain = try design.means(from: sums) } else { perDomain = try design.means(outcome, domains: by) }
            let members = sums?.domainSizes ?? by.counts
            let df = sums?.domainDegreesOfFreedom ?? design.degreesOfFreedom(domains: by)
            rows += makeRows(perDomain, variable: variable, outcome: outcome, groupLabel: { by.labels[$0] }, proportion: proportion,
                             df: { df[$0] }, designRows: { design.designRows(in: members[$0]) }, options: options)
        }
        return rows
    }

    static func makeRows(_ m: DomainMeans, variable: String, outcome: Outcome, groupLabel: (Int) -> String, proportion: Bool,
                         df: (Int) -> Int, designRows: (Int) -> Int, options: EstimationOptions) -> [EstimateRow] {
        var rows: [EstimateRow] = []
        for d in 0..<m.domains.count {
            for l in 0..<m.levels.count {
                let flag = options.thresholds.flag(n: m.n[d])
                var row = EstimateRow(variable: variable, level: m.levels[l], group: groupLabel(d), n: m.n[d],
                                      effectiveN: m.effectiveN(domain: d), estimate: nil, standardError: nil,
                                      ciLow: nil, ciHigh: nil, df: df(d), flag: flag)
                if flag != .suppressed {
                    let p = m.estimate(level: l, domain: d), se = m.standardError(level: l, domain: d)
                    let (low, high) = proportion
                        ? ConfidenceInterval.proportion(p, standardError: se, method: options.interval, df: Double(df(d)),
                                                        designRows: designRows(d), effectiveN: m.effectiveN(domain: d), level: options.level)
                        : ConfidenceInterval.wald(p, standardError: se, df: Double(df(d)), level: options.level)
                    row.estimate = p
                    row.standardError = se
                    row.ciLow = low
                    row.ciHigh = high
                }
                rows.append(row)
            }
        }
        return rows
    }
}
