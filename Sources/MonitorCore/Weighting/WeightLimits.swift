/// The numbers weighting and estimation accept, and the exact rescaling that keeps their sums finite.
///
/// Sums of weights overflow (1e308 + 1e308 = ∞) and subnormal numbers (below 2.2250738585072014e-308)
/// carry fewer than 53 bits, so: a weight must be a positive *normal* double; the weights of one file may
/// span a ratio of at most 1e100 (largest / smallest), so their products and squares stay normal; before
/// summing, weights are multiplied by 2^−e, the power of two that puts the largest in [0.5, 1). Multiplying
/// by a power of two is exact, so every sum, share and ratio is bit for bit what it is without rescaling
/// whenever that does not overflow; shares, means, design effects and effective n are scale-invariant, and
/// totals are scaled back by 2^e. Population counts (frame N) are at most 2^53, the largest count a double
/// holds exactly. See docs/weighting.md ("Limits").
public enum WeightLimits {
    /// Largest ratio between the largest and the smallest weight of one file.
    public static let largestRatio = 1e100
    /// Largest population count of a frame cell: 2^53 = 9007199254740992.
    public static let largestCount = 9_007_199_254_740_992.0
    /// Smallest positive normal double, 2.2250738585072014e-308.
    public static let smallestNormal = Double.leastNormalMagnitude

    /// A usable weight: positive, finite and normal (not subnormal).
    public static func isValid(_ w: Double) -> Bool { w.isNormal && w > 0 }

    /// Why a population count is out of range, or nil. (Non-numbers and N ≤ 0 are reported by the caller.)
    public static func countProblem(_ n: Double) -> String? {
        if !(n <= largestCount) { return "population count above 2^53 = 9007199254740992, the largest count a double holds exactly" }
        if !n.isNormal { return "population count below 2.2250738585072014e-308 (a subnormal number, with too few digits)" }
        return nil
    }

    /// The power of two 2^−e with e = exponent(max w) + 1, so that max(w) · 2^−e is in [0.5, 1).
    public static func scale(forLargest largest: Double) -> Double {
        guard largest.isFinite, largest > 0 else { return 1 }
        return Double(sign: .plus, exponent: -(Int(largest.exponent) + 1), significand: 1)
    }

    /// `weights` · 2^−e (see `scale(forLargest:)`), after checking that every weight is valid and that
    /// largest / smallest ≤ `largestRatio`.
    public static func normalized(_ weights: [Double]) throws(WeightingError) -> [Double] {
        guard !weights.isEmpty else { return weights }
        var lo = 0, hi = 0
        for (i, w) in weights.enumerated() {
            guard isValid(w) else { throw .invalidBaseWeight(row: i, value: w) }
            if w < weights[lo] { lo = i }
            if w > weights[hi] { hi = i }
        }
        if !(weights[hi] / weights[lo] <= largestRatio) {
            throw .weightRange(smallestRow: lo, smallest: weights[lo], largestRow: hi, largest: weights[hi])
        }
        let s = scale(forLargest: weights[hi])
        return s == 1 ? weights : weights.map { $0 * s }
    }

    /// The first weight that is not a positive normal finite number (a result that overflowed or
    /// underflowed), as an error.
    static func checkResult(_ weights: [Double]) throws(WeightingError) {
        if let row = weights.firstIndex(where: { !isValid($0) }) { throw .weightOutOfRange(row: row, value: weights[row]) }
    }
}

extension WeightingResult {
    /// The final weights and the calibration step, both multiplied by 2^−e (largest weight in [0.5, 1)),
    /// for a design: estimates, standard errors and effective n depend only on ratios of weights, and sums
    /// of rescaled weights cannot overflow.
    public func normalizedForDesign() throws(WeightingError) -> (weights: [Double], calibration: SurveyDesign.Calibration?) {
        let w = try WeightLimits.normalized(weights)
        guard let calibration else { return (w, nil) }
        switch calibration {
        case .postStratification(let m):
            return (w, .postStratification(.init(cells: m.cells, cellCount: m.cellCount, weights: w)))
        case .raking(let ms):
            return (w, .raking(ms.map { .init(cells: $0.cells, cellCount: $0.cellCount, weights: w) }))
        }
    }
}
