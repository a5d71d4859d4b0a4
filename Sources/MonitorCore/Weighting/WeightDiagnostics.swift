/// Summary of a set of weights.
///
/// Kish's design effect due to unequal weighting: deff = n Σw² / (Σw)² = 1 + CV², with CV the
/// coefficient of variation of the weights (divisor n); effective sample size n_eff = (Σw)² / Σw²
/// (Kish 1965, §11.7; Kish 1992).
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
            s += w
            s2 += w * w
            lo = min(lo, w)
            hi = max(hi, w)
        }
        sum = s
        minimum = n > 0 ? lo : .nan
        maximum = n > 0 ? hi : .nan
        mean = n > 0 ? s / Double(n) : .nan
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
            let mean = weights.reduce(0, +) / Double(max(weights.count, 1))
            return weights.map { $0 / mean }
        }
    }
}
