/// Summary of a set of weights.
///
/// Kish's design effect due to unequal weighting: deff = n Σw² / (Σw)² = 1 + CV², with CV the
/// coefficient of variation of the weights (divisor n); effective sample size n_eff = (Σw)² / Σw²
/// (Kish 1965, §11.7; Kish 1992). The sums are taken over w_i · 2^−e (`WeightLimits.scale`), so Σw² does not
/// overflow for weights above 1e154; deff and n_eff do not depend on the scale, Σw is scaled back.
public struct WeightDiagnostics: Sendable, Equatable {
    public var n: Int
    public var sum: Double
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    public var kishDesignEffect: Double
    public var effectiveSampleSize: Double

    public var ratio: Double { maximum / minimum }
    public var coefficientOfVariation: Double { (kishDesignEffect - 1).squareRoot() }

    public init(_ weights: [Double]) {
        n = weights.count
        var s = 0.0, s2 = 0.0, lo = Double.infinity, hi = -Double.infinity
        for w in weights {
            lo = min(lo, w)
            hi = max(hi, w)
        }
        let scale = WeightLimits.scale(forLargest: hi)
        for w in weights {
            s += w * scale
            s2 += (w * scale) * (w * scale)
        }
        sum = s / scale
        minimum = n > 0 ? lo : .nan
        maximum = n > 0 ? hi : .nan
        mean = n > 0 ? sum / Double(n) : .nan
        kishDesignEffect = n > 0 ? Double(n) * s2 / (s * s) : .nan
        effectiveSampleSize = n > 0 ? s * s / s2 : 0
    }
}

/// How final weights are scaled: to the population (Σw = N, weighted counts estimate population counts)
/// or to mean 1 (Σw = n, weighted counts on the sample's scale). Proportions are the same on both.
public enum WeightScale: String, Sendable, Codable, CaseIterable {
    case population
    case mean1

    public func apply(_ weights: [Double]) -> [Double] {
        switch self {
        case .population: return weights
        case .mean1:
            // mean = Σ(w · 2^−e) / n · 2^e: the sum cannot overflow.
            let scale = WeightLimits.scale(forLargest: weights.max() ?? 1)
            let mean = weights.reduce(0) { $0 + $1 * scale } / Double(max(weights.count, 1)) / scale
            return weights.map { $0 / mean }
        }
    }
}
