import Foundation

/// Confidence intervals for a design-based estimate.
public enum IntervalMethod: String, Sendable, CaseIterable, Codable {
    /// Logit transform (R `svyciprop(method = "logit")`, the default; SUDAAN and SPSS Complex Samples).
    case logit
    /// Korn & Graubard (1998) Clopper-Pearson interval on the design's effective n (R `method = "beta"`).
    case beta
    /// Wilson score interval on Kish's effective n.
    case wilson
    /// Symmetric Wald interval, estimate ± t·SE (R `method = "mean"`; always used for means of numbers).
    case wald
}

/// Interval formulas. `level` is the confidence level (0.95); `df` the design's degrees of freedom
/// (`.infinity` for normal quantiles).
public enum ConfidenceInterval {
    /// Logit interval: with θ = logit(p̂) and SE(θ) = SE(p̂) / (p̂(1 − p̂)) (delta method),
    /// [expit(θ − t·SE(θ)), expit(θ + t·SE(θ))], t = t_{df, 1−α/2}. R `svyciprop(method = "logit")`
    /// (cran/survey R/svyciprop.R), which takes p̂ from a quasibinomial `svyglm`; this uses p̂ itself,
    /// as R's `method = "xlogit"` does.
    public static func logit(_ p: Double, standardError se: Double, df: Double, level: Double = 0.95) -> (Double, Double) {
        let t = Distributions.studentTQuantile(1 - (1 - level) / 2, df: df)
        let theta = log(p / (1 - p))
        let half = t * se / (p * (1 - p))
        return (expit(theta - half), expit(theta + half))
    }

    /// Korn-Graubard: effective n n* = p̂(1 − p̂)/V̂(p̂), scaled by (t_{n−1, α/2} / t_{df, α/2})² with n the
    /// rows of the design passed to R (see `SurveyDesign.designRows`); interval
    /// [B⁻¹(α/2; n*p̂, n*(1 − p̂) + 1), B⁻¹(1 − α/2; n*p̂ + 1, n*(1 − p̂))] (Korn & Graubard 1998; R
    /// `svyciprop(method = "beta")`).
    public static func beta(_ p: Double, standardError se: Double, df: Double, designRows: Int, level: Double = 0.95) -> (Double, Double) {
        let alpha = 1 - level
        var nEff = p * (1 - p) / (se * se)
        if df.isFinite {
            let ratio = Distributions.studentTQuantile(alpha / 2, df: Double(designRows - 1))
                / Distributions.studentTQuantile(alpha / 2, df: df)
            nEff *= ratio * ratio
        }
        return clopperPearson(p, n: nEff, level: level)
    }

    /// Clopper-Pearson interval for a proportion p observed on (effective) n:
    /// [B⁻¹(α/2; np, n(1 − p) + 1), B⁻¹(1 − α/2; np + 1, n(1 − p))], with 0 or 1 at the ends.
    public static func clopperPearson(_ p: Double, n: Double, level: Double = 0.95) -> (Double, Double) {
        let alpha = 1 - level
        let x = n * p
        let low = p <= 0 ? 0 : Distributions.betaQuantile(alpha / 2, a: x, b: n - x + 1)
        let high = p >= 1 ? 1 : Distributions.betaQuantile(1 - alpha / 2, a: x + 1, b: n - x)
        return (low, high)
    }

    /// Wilson score interval on n = Kish's effective n of the base, with z = Φ⁻¹(1 − α/2):
    /// (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n) (Wilson 1927; Agresti & Coull 1998).
    public static func wilson(_ p: Double, effectiveN n: Double, level: Double = 0.95) -> (Double, Double) {
        let z = Distributions.normalQuantile(1 - (1 - level) / 2)
        let z2 = z * z
        let centre = p + z2 / (2 * n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let denominator = 1 + z2 / n
        return (max(0, (centre - half) / denominator), min(1, (centre + half) / denominator))
    }

    /// Wald interval estimate ± t_{df, 1−α/2} · SE.
    public static func wald(_ estimate: Double, standardError se: Double, df: Double, level: Double = 0.95) -> (Double, Double) {
        let t = Distributions.studentTQuantile(1 - (1 - level) / 2, df: df)
        return (estimate - t * se, estimate + t * se)
    }

    /// The interval for a proportion by `method`. When p̂ is 0 or 1 (or its variance is 0) the logit and
    /// beta formulas are undefined (R returns NaN); the interval is then Clopper-Pearson on Kish's effective
    /// n, which gives [0, 1 − (α/2)^{1/n}] for p̂ = 0.
    public static func proportion(_ p: Double, standardError se: Double, method: IntervalMethod, df: Double,
                                  designRows: Int, effectiveN: Double, level: Double = 0.95) -> (Double, Double) {
        if p.isNaN { return (.nan, .nan) }
        let degenerate = fallsBack(p, standardError: se, method: method)
        switch method {
        case .wald: return wald(p, standardError: se, df: df, level: level)
        case .wilson: return wilson(p, effectiveN: effectiveN, level: level)
        case .logit, .beta:
            if degenerate { return clopperPearson(p, n: effectiveN, level: level) }
            return method == .logit ? logit(p, standardError: se, df: df, level: level)
                : beta(p, standardError: se, df: df, designRows: designRows, level: level)
        }
    }

    /// Whether `proportion` gives the Clopper-Pearson interval on Kish's n_eff instead of `method`'s: a logit or
    /// beta interval at p̂ = 0 or 1, or with a variance of 0 (a group of one respondent, or of equal answers).
    public static func fallsBack(_ p: Double, standardError se: Double, method: IntervalMethod) -> Bool {
        guard method == .logit || method == .beta, !p.isNaN else { return false }
        return p <= 0 || p >= 1 || !(se > 0)
    }

    @inline(__always) static func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
