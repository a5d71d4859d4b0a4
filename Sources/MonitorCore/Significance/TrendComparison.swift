/// A previous wave's figure as the report printed it: a proportion and the number of respondents it is based on.
public struct PublishedFigure: Sendable, Equatable, Codable {
    public var label: String
    public var proportion: Double
    public var n: Int
    /// Design effect to apply to the previous wave's binomial variance (1 when unknown).
    public var designEffect: Double

    public init(label: String, proportion: Double, n: Int, designEffect: Double = 1) {
        self.label = label
        self.proportion = proportion
        self.n = n
        self.designEffect = designEffect
    }
}

/// Change against a previous wave known only by its published percentage and n (the report's trend
/// comparisons, e.g. Tabel 2.3: 2022 n = 3.033 against 2024).
///
/// The two waves are independent samples. The current estimate p₁ has its design-based SE s₁; the previous
/// wave's variance is the binomial p₀(1 − p₀)/n₀ times its design effect (1 unless known). Then
/// z = (p₁ − p₀)/√(s₁² + deff₀ · p₀(1 − p₀)/n₀) and p = 2(1 − Φ(|z|)) (the two-independent-proportions
/// z test, e.g. Agresti 2013 §2.2.3; Kish 1965 §14.1 for the design effect). With published percentages
/// rounded to whole numbers p₀ is uncertain by ±0.5 point; that rounding is not part of the test.
public enum TrendComparison {
    public static func compare(variable: String, level: String = "", group: String = "", current: Double,
                               standardError: Double, n: Int, previous: PublishedFigure, alpha: Double = 0.05) -> Comparison {
        let p0 = previous.proportion
        let v0 = previous.designEffect * p0 * (1 - p0) / Double(previous.n)
        let se = (standardError * standardError + v0).squareRoot()
        guard se > 0, previous.n > 0, !current.isNaN else {
            return .untested(.trend, variable: variable, level: level, group: group, other: previous.label,
                             estimate: current, otherEstimate: p0, n: n, otherN: previous.n)
        }
        let z = (current - p0) / se
        let p = 2 * Distributions.normalSurvival(abs(z))
        return Comparison(kind: .trend, variable: variable, level: level, group: group, other: previous.label,
                          estimate: current, otherEstimate: p0, difference: current - p0, standardError: se,
                          statistic: z, df: nil, pValue: p, adjustedPValue: p,
                          verdict: Comparison.verdict(difference: current - p0, p: p, alpha: alpha), n: n, otherN: previous.n, method: .z)
    }

    /// The smallest p-value any size of the previous wave could give, when the report prints its figure without
    /// an n: the previous figure is treated as exact (n₀ → ∞), so z = (x₁ − x₀)/s₁ and p = 2(1 − Φ(|z|)). Every
    /// finite n₀ adds variance and raises p, so a bound p ≥ α means "not significant" whatever n₀ was; a bound
    /// below α decides nothing. Works for a mean as for a proportion (same scale for `current` and `previous`).
    public static func bound(current: Double, standardError: Double, previous: Double) -> Double? {
        guard standardError > 0, current.isFinite, previous.isFinite else { return nil }
        return 2 * Distributions.normalSurvival(abs(current - previous) / standardError)
    }
}
