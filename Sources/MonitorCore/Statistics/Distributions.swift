import Foundation

/// Probability functions of the normal, Student t, χ², F, beta and gamma distributions, accurate to a
/// few units in the last place over the ranges a survey analysis needs (see `DistributionTests` and
/// `scripts/r/distributions.R`, which check them against R 4.2.2).
///
/// Conventions follow R: an NaN argument gives NaN, an invalid parameter (negative df, shape < 0,
/// probability outside [0, 1]) gives NaN, and the limits at 0, 1 and ±∞ are those of R's
/// `pnorm`/`qnorm`/`pt`/`qt`/`pchisq`/`pf`/`pbeta`/`qbeta`/`pgamma`.
///
/// The building blocks are:
/// - the regularized incomplete beta function I_x(a,b) by its continued fraction (DLMF 8.17.22;
///   Numerical Recipes 3rd ed. §6.4), contracted to its even part and evaluated with the modified
///   Lentz method (Numerical Recipes §5.2), with the factor x^a (1−x)^b / B(a,b) computed as in
///   DiDonato & Morris (1992, ACM TOMS 18, Algorithm 708, functions BRCOMP/BCORR): from
///   λ = a − (a+b)x and the Stirling-series remainders, so that no large logarithms cancel;
/// - the regularized incomplete gamma functions P(a,x), Q(a,x) by their series and Legendre continued
///   fraction (DLMF 8.7.1, 8.9.2; Numerical Recipes §6.2), with the factor x^a e^(−x)/Γ(a+1) in
///   Loader's (2000) saddle-point form e^(−δ(a) − a·(t − ln(1+t))) / √(2πa), t = (x − a)/a;
/// - safeguarded Newton iteration for the quantiles: Newton steps on the log of the tail
///   probability in the log of the variable, kept inside a bracket, with bisection as the fallback.
public enum Distributions {

    // MARK: - Normal

    /// Φ(x), R `pnorm(x)`.
    ///
    /// Φ(x) = ½·erfc(−x/√2) (Abramowitz & Stegun 26.2.29) with the C library's `erfc`. The rounding
    /// error of x/√2 is corrected to first order: with x/√2 = w + δ (δ from a fused multiply-add and the
    /// low part of 1/√2), erfc(w + δ) = erfc(w)·(1 − δ·(2/√π)e^(−w²)/erfc(w)), so the result keeps full
    /// relative precision in the far tail instead of losing x²·ε. As in R, Φ(x) = 0 for x ≤ −37.5193
    /// (where Φ falls below the smallest normal double).
    public static func normalCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return normalUpperTail(-x) }
        return 1 - normalUpperTail(x)
    }

    /// 1 − Φ(x), computed without cancellation (R `pnorm(x, lower.tail = FALSE)`).
    ///
    /// For x ≥ 0 this is ½·erfc(x/√2) directly (see `normalCDF` for the argument correction), so it
    /// keeps full relative precision down to 2.2e-308; it is 0 for x ≥ 37.5193, as in R.
    public static func normalSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x >= 0 { return normalUpperTail(x) }
        return 1 - normalUpperTail(-x)
    }

    /// Φ⁻¹(p), R `qnorm(p)`: Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477–484.
    ///
    /// Rational minimax approximations in q = p − ½ for |q| ≤ 0.425, and in r = √(−ln min(p, 1−p))
    /// for r ≤ 5 and r > 5; relative accuracy about 1e-16 for all p ≥ 1e-300 (the same algorithm R uses).
    /// qnorm(0) = −∞, qnorm(1) = +∞, p outside [0, 1] gives NaN.
    public static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * horner(as241A, r) / horner(as241B, r)
        }
        // 1 − p is exact for p ≥ ½ (Sterbenz).
        var r = (-log(q < 0 ? p : 1 - p)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = horner(as241C, r) / horner(as241D, r)
        } else {
            r -= 5
            value = horner(as241E, r) / horner(as241F, r)
        }
        return q < 0 ? -value : value
    }

    // MARK: - Student t

    /// R `pt(t, df)`: P(T ≤ t) for Student's t with df > 0 degrees of freedom (df real, or `.infinity`
    /// for the normal).
    ///
    /// P(T > |t|) = ½·I_x(df/2, ½) with x = df/(df + t²) (Abramowitz & Stegun 26.7.1 / 26.5.27), where
    /// x and 1 − x = t²/(df + t²) are both formed directly, so neither tail loses precision; this holds
    /// for every finite df (R 4.2 `pt` likewise has no large-df approximation). When t² overflows,
    /// the leading term x^(df/2)/((df/2)·B(df/2, ½)) of the tail is used (DLMF 8.17.8).
    public static func studentTCDF(_ t: Double, df: Double) -> Double {
        if t.isNaN || df.isNaN || !(df > 0) { return .nan }
        if t.isInfinite { return t < 0 ? 0 : 1 }
        if df == .infinity { return normalCDF(t) }
        let tails = studentTails(abs(t), df: df)
        return t < 0 ? tails.upper : tails.lower
    }

    /// R `2 * pt(-abs(t), df)`: the two-sided p-value P(|T| ≥ |t|).
    ///
    /// This is I_x(df/2, ½) with x = df/(df + t²) (Abramowitz & Stegun 26.7.1), evaluated directly, so
    /// p-values down to the smallest normal double keep full relative precision (no 1 − x).
    public static func studentTTwoSided(_ t: Double, df: Double) -> Double {
        if t.isNaN || df.isNaN || !(df > 0) { return .nan }
        if t.isInfinite { return 0 }
        if df == .infinity { return 2 * normalSurvival(abs(t)) }
        return 2 * studentTails(abs(t), df: df).upper
    }

    /// R `qt(p, df)`: the p-quantile of Student's t, df > 0 real or `.infinity`.
    ///
    /// By symmetry the upper tail q = min(p, 1 − p) is solved for t > 0. Starting values are the exact
    /// quantiles for df = 1 (1/tan(πq)) and df = 2 (Hill 1970), otherwise the better of the
    /// Cornish–Fisher expansion in z = Φ⁻¹(1 − q) (Abramowitz & Stegun 26.7.5, terms to df⁻⁴) and the
    /// tail approximation t ≈ √df·(q·df·B(df/2, ½))^(−1/df). Then safeguarded Newton steps on
    /// ln P(T > t) in ln t (d ln P/d ln t = −t f(t)/P; ln P is nearly linear in ln t in the tail) with a
    /// bisection fallback, to full double precision. As in R, df > 1e20 gives the normal quantile.
    public static func studentTQuantile(_ p: Double, df: Double) -> Double {
        if p.isNaN || df.isNaN || !(df > 0) || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if df > 1e20 { return normalQuantile(p) }  // as R
        let q = p < 0.5 ? p : 1 - p  // exact
        if q == 0.5 { return 0 }
        let t = upperStudentQuantile(q, df: df)
        return p < 0.5 ? -t : t
    }

    // MARK: - χ², F

    /// R `pchisq(x, df, lower.tail = FALSE)`: P(X > x) for χ² with df ≥ 0 (real).
    ///
    /// Q(df/2, x/2), the regularized upper incomplete gamma function (Abramowitz & Stegun 26.4.19);
    /// see `regularizedGammaQ`. df = 0 is the point mass at 0, as in R.
    public static func chiSquaredSurvival(_ x: Double, df: Double) -> Double {
        if x.isNaN || df.isNaN || df < 0 { return .nan }
        return regularizedGammaQ(df / 2, x / 2)
    }

    /// R `pf(x, df1, df2, lower.tail = FALSE)`: P(F > x), df1, df2 > 0 real (either may be `.infinity`).
    ///
    /// P(F > x) = I_y(df2/2, df1/2) with y = df2/(df2 + df1·x) (Abramowitz & Stegun 26.6.2), evaluated
    /// as the upper tail 1 − I_{1−y}(df1/2, df2/2) of the incomplete beta function, which is computed
    /// directly whichever side its continued fraction runs on; y and 1 − y are both formed from
    /// the ratio df1·x/df2 (or its inverse), so large df2 (1e5 and beyond) loses nothing. df2 = ∞ gives
    /// the χ² limit Q(df1/2, df1·x/2), df1 = ∞ gives P(df2/2, df2/(2x)), as in R.
    public static func fSurvival(_ x: Double, df1: Double, df2: Double) -> Double {
        if x.isNaN || df1.isNaN || df2.isNaN || !(df1 > 0) || !(df2 > 0) { return .nan }
        if x <= 0 { return 1 }
        if x == .infinity { return 0 }
        if df2 == .infinity {
            if df1 == .infinity { return x < 1 ? 1 : (x == 1 ? 0.5 : 0) }
            return chiSquaredSurvival(x * df1, df: df1)
        }
        if df1 == .infinity { return regularizedGammaP(df2 / 2, df2 / x / 2) }
        let ratio = df1 / df2 * x
        let xb: Double, yb: Double
        if ratio <= 1 {
            xb = ratio / (1 + ratio)
            yb = 1 / (1 + ratio)
        } else {
            let inverse = df2 / df1 / x
            xb = 1 / (1 + inverse)
            yb = inverse / (1 + inverse)
        }
        if yb == 0 { return 0 }
        if xb == 0 { return 1 }
        return betaTails(x: xb, y: yb, a: df1 / 2, b: df2 / 2).upper
    }

    // MARK: - Beta

    /// I_x(a, b) = B(x; a, b)/B(a, b), R `pbeta(x, a, b)`, a, b ≥ 0.
    ///
    /// Continued fraction of DLMF 8.17.22 (Numerical Recipes 3rd ed. §6.4) for x < (a+1)/(a+b+2), else
    /// 1 − I_{1−x}(b, a) from the same fraction; the fraction is contracted to its even part and its
    /// partial denominators are written in λ = a − (a+b)x so that they do not cancel when x is near 1.
    /// The front factor x^a(1−x)^b/B(a,b) uses the Stirling remainders (DiDonato & Morris 1992, TOMS
    /// 708 BRCOMP) when a and b are large, and ln Γ(a+b) − ln Γ(b) by the same series when only b is.
    /// When the shape on the fraction's side is below 1, the power series (DLMF 8.17.7; TOMS 708
    /// BPSER) is used instead and the other tail is −expm1 of its logarithm, so both tails keep their
    /// relative precision for shapes down to 1e-3. R's limits for a or b equal to 0 or ∞ (point
    /// masses) are kept.
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x.isNaN || a.isNaN || b.isNaN || a < 0 || b < 0 { return .nan }
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if a == 0 || b == 0 || a.isInfinite || b.isInfinite {
            if a == 0 && b == 0 { return 0.5 }  // mass ½ at 0 and at 1
            if a == 0 || (b.isInfinite && a.isFinite) { return 1 }  // all mass at 0
            if b == 0 || (a.isInfinite && b.isFinite) { return 0 }  // all mass at 1
            return x < 0.5 ? 0 : 1  // a = b = ∞: all mass at ½
        }
        return betaTails(x: x, y: 1 - x, a: a, b: b).lower
    }

    /// R `qbeta(p, a, b)`: the x with I_x(a, b) = p, a, b ≥ 0 real.
    ///
    /// The smaller tail is solved: ln I_x(a,b) = ln p for p ≤ ½, ln(1 − I_x) = ln(1 − p) otherwise.
    /// Starting values are the best of the two power-tail inversions x ≈ (p·a·B(a,b))^(1/a),
    /// 1 − x ≈ ((1−p)·b·B(a,b))^(1/b) (from DLMF 8.17.8) and, for a, b > 1, a logit-normal
    /// approximation (logit x ≈ ln((a−½)/(b−½)) + z√(1/(a−½) + 1/(b−½))). Newton steps are taken in
    /// ln x for x ≤ ½ and in ln(1 − x) above, inside a bracket with bisection as the fallback, to full
    /// double precision. Quantiles below the smallest double are 0, above 1 − 2⁻⁵³ they are 1. As in R,
    /// the point-mass limits: a = 0 (or b = ∞) gives 0, b = 0 (or a = ∞) gives 1, a = b = ∞ gives ½,
    /// and a = b = 0 gives 0, ½ or 1 for p <, =, > ½.
    public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        if p.isNaN || a.isNaN || b.isNaN || a < 0 || b < 0 || p < 0 || p > 1 { return .nan }
        if a == 0 || b == 0 || a.isInfinite || b.isInfinite {
            if a == 0 && b == 0 { return p < 0.5 ? 0 : (p > 0.5 ? 1 : 0.5) }
            if a == 0 || (b.isInfinite && a.isFinite) { return 0 }
            if b == 0 || (a.isInfinite && b.isFinite) { return 1 }
            return 0.5
        }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        return solveBetaQuantile(p, a: a, b: b)
    }

    // MARK: - Gamma

    /// Regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), R `pgamma(x, a)`, a ≥ 0.
    ///
    /// For x < a + 1 the series P = x^a e^(−x)/Γ(a+1) · Σₙ xⁿ/((a+1)⋯(a+n)) (DLMF 8.7.1; Numerical
    /// Recipes 3rd ed. §6.2), otherwise 1 − Q from Legendre's continued fraction (DLMF 8.9.2) by the
    /// modified Lentz method. The front factor x^a e^(−x)/Γ(a+1) is, for a ≥ 10, Loader's (2000)
    /// saddle-point form exp(−δ(a) − a·(t − ln(1+t)))/√(2πa), t = (x − a)/a, with δ the Stirling
    /// remainder, so it has no cancellation for large a. For a < 1 and x < a + 1 the series
    /// P = x^a/Γ(a+1)·(1 + a·Σₙ₌₁ (−x)ⁿ/(n!(a+n))) (Abramowitz & Stegun 6.5.29) gives P, and Q as
    /// −expm1(ln P). a = 0 is the point mass at 0, as in R.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if a.isNaN || x.isNaN || a < 0 { return .nan }
        if x <= 0 { return 0 }
        if a == 0 || x == .infinity { return 1 }
        if a == .infinity { return 0 }
        return gammaTails(a: a, x: x).lower
    }

    /// Regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x),
    /// R `pgamma(x, a, lower.tail = FALSE)`, computed directly (not as 1 − P) when it is the smaller
    /// tail; see `regularizedGammaP` for the algorithm.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if a.isNaN || x.isNaN || a < 0 { return .nan }
        if x <= 0 { return 1 }
        if a == 0 || x == .infinity { return 0 }
        if a == .infinity { return 1 }
        return gammaTails(a: a, x: x).upper
    }
}

// MARK: - Normal internals

extension Distributions {
    /// ½·erfc(z/√2) for z ≥ 0, with the first-order correction for the rounding of z/√2.
    private static func normalUpperTail(_ z: Double) -> Double {
        if z >= 37.5193 { return 0 }  // R's cutoff: the value is below the smallest normal double
        let hi = 0.7071067811865476  // 1/√2 rounded
        let lo = -4.833646656726457e-17  // 1/√2 − hi
        let w = z * hi
        let delta = (-w).addingProduct(z, hi) + z * lo  // z/√2 − w
        let e = erfc(w)
        if e == 0 { return 0 }
        let logSlope = 1.1283791670955126 * exp(-w * w) / e  // −d ln erfc(w)/dw
        return 0.5 * e * (1 - logSlope * delta)
    }

    /// AS 241 coefficients (Wichura 1988), lowest degree first.
    private static let as241A: [Double] = [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ]
    private static let as241B: [Double] = [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
        5.2264952788528545610e+3,
    ]
    private static let as241C: [Double] = [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
        3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ]
    private static let as241D: [Double] = [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
        1.05075007164441684324e-9,
    ]
    private static let as241E: [Double] = [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ]
    private static let as241F: [Double] = [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15,
    ]

    /// c₀ + c₁x + … + cₙxⁿ by Horner's rule.
    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        var sum = 0.0
        for c in coefficients.reversed() { sum = sum * x + c }
        return sum
    }
}

// MARK: - Student t internals

extension Distributions {
    /// For t ≥ 0: upper = P(T > t) = ½·I_x(df/2, ½), lower = 1 − upper, and ln of
    /// x^(df/2)(1−x)^(1/2)/B(df/2, ½) (which is t·f(t)), x = df/(df + t²).
    private static func studentTails(_ t: Double, df: Double) -> (lower: Double, upper: Double, logPowerTerm: Double) {
        let w = t / df * t  // t²/df
        let x: Double, y: Double
        if w <= 1 {
            x = 1 / (1 + w)
            y = w / (1 + w)
        } else {
            let s = df / t / t  // df/t², without overflow
            if s < Double.leastNormalMagnitude {
                // x = df/t² underflows: I_x(a, ½) = x^a/(a·B(a, ½))·(1 + O(x)) (DLMF 8.17.8).
                let a = df / 2
                let logX = log(df) - 2 * log(t)
                let logFront = a * logX - (logGamma(0.5) - logGammaIncrement(a, by: 0.5))
                let upper = 0.5 * exp(logFront - log(a))
                return (1 - upper, upper, logFront)
            }
            x = s / (1 + s)
            y = 1 / (1 + s)
        }
        if y == 0 { return (0.5, 0.5, -.infinity) }
        if x == 0 { return (1, 0, -.infinity) }
        let tails = betaTails(x: x, y: y, a: df / 2, b: 0.5)
        return (0.5 + 0.5 * tails.upper, 0.5 * tails.lower, tails.logPowerTerm)
    }

    /// The t > 0 with P(T > t) = q, 0 < q < ½.
    private static func upperStudentQuantile(_ q: Double, df: Double) -> Double {
        // Quantiles beyond the largest double (small df, tiny q) are +∞, as in R.
        if studentTails(.greatestFiniteMagnitude, df: df).upper > q { return .infinity }
        let logQ = log(q)
        var starts: [Double] = []
        if df == 1 {
            starts.append(1 / tan(Double.pi * q))
        } else if df == 2 {
            starts.append((1 - 2 * q) / (2 * q * (1 - q)).squareRoot())
        } else {
            let z = -normalQuantile(q)
            let z2 = z * z
            let g1 = (z2 + 1) * z / 4
            let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
            let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
            let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
            starts.append(z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df)
            let logBeta = logGamma(df / 2) + logGamma(0.5) - logGamma(df / 2 + 0.5)
            starts.append(df.squareRoot() * exp(-(logQ + log(df) + logBeta) / df))
        }
        // g(t) = ln q − ln P(T > t) increases with t; d g/d ln t = t f(t)/P = exp(L − ln P).
        return refineRoot(starts: starts, lower: 0, upper: .infinity, midpoint: positiveMidpoint) { t in
            let tails = studentTails(t, df: df)
            let logTail = log(tails.upper)
            let g = logQ - logTail
            let slope = exp(tails.logPowerTerm - logTail)
            return (g, t * exp(-g / slope))
        }
    }
}

// MARK: - Beta internals

extension Distributions {
    /// I_x(a,b) and 1 − I_x(a,b), each computed directly where it is the side the continued fraction
    /// runs on, and L = ln(x^a y^b / B(a,b)). Requires x, y > 0 with x + y = 1 (both supplied, so the
    /// caller can form the smaller one exactly) and finite a, b > 0.
    static func betaTails(x: Double, y: Double, a: Double, b: Double)
        -> (lower: Double, upper: Double, logPowerTerm: Double)
    {
        let lambda = betaLambda(x: x, y: y, a: a, b: b)
        let logFront = logBetaPowerTerm(x: x, y: y, a: a, b: b, lambda: lambda)
        // Numerical Recipes' switch point x < (a+1)/(a+b+2), tested on the exactly known variable.
        let direct = x <= y ? x * (a + b + 2) < a + 1 : y * (a + b + 2) > b + 1
        if direct {
            if a < 1 {
                let s = smallShapeBetaSeries(x: x, y: y, a: a, b: b)
                return (s.value, s.complement, logFront)
            }
            let v = min(1, exp(logFront) * betaFraction(x: x, y: y, a: a, b: b, lambda: lambda))
            return (v, 1 - v, logFront)
        }
        if b < 1 {
            let s = smallShapeBetaSeries(x: y, y: x, a: b, b: a)
            return (s.complement, s.value, logFront)
        }
        let w = min(1, exp(logFront) * betaFraction(x: y, y: x, a: b, b: a, lambda: -lambda))
        return (1 - w, w, logFront)
    }

    /// I_x(a,b) and 1 − I_x(a,b) for a < 1 and x below the switch point, from the power series
    /// I_x(a,b) = x^a/(a·B(a,b))·(1 + a·Σₙ₌₁ (1−b)ₙ xⁿ/(n!(a+n))) (DLMF 8.17.7 with 15.2.1), as in
    /// DiDonato & Morris (1992) BPSER. When a is small I_x is close to 1, so the complement is taken
    /// as −expm1(ln I_x), with ln(a·B(a,b)) = ln Γ(1+a) − [ln Γ(a+b) − ln Γ(b)] free of cancellation.
    private static func smallShapeBetaSeries(x: Double, y: Double, a: Double, b: Double)
        -> (value: Double, complement: Double)
    {
        var coefficient = 1.0  // (1−b)ₙ xⁿ/n!
        var sum = 0.0
        var n = 1.0
        while n < 10_000 {
            coefficient *= (n - b) / n * x
            let term = coefficient / (a + n)
            sum += term
            if abs(term) <= 1e-17 * abs(sum) { break }
            n += 1
        }
        let logX = x <= y ? log(x) : log1p(-y)
        let logABeta = logGammaOnePlus(a) - logGammaIncrement(b, by: a)
        let logValue = a * logX - logABeta + log1p(a * sum)
        return (min(1, exp(logValue)), max(0, -expm1(logValue)))
    }

    /// ln Γ(b + a) − ln Γ(b) for b, a > 0, accurate relative to its size when a is small: the Stirling
    /// form (b − ½)·ln(1 + a/b) + a·ln(a+b) − a + δ(a+b) − δ(b) after shifting b to at least 10 with
    /// Γ(z+1) = zΓ(z).
    static func logGammaIncrement(_ b: Double, by a: Double) -> Double {
        var shifted = b
        var correction = 0.0
        while shifted < 10 {
            correction += log1p(a / shifted)
            shifted += 1
        }
        return (shifted - 0.5) * log1p(a / shifted) + a * log(shifted + a) - a
            + stirlingRemainder(shifted + a) - stirlingRemainder(shifted) - correction
    }

    /// λ = a − (a+b)x = (a+b)y − b, from the smaller of x and y with compensated arithmetic
    /// (two-sum for a+b, fused multiply-add for the product), so its relative error is about ε.
    private static func betaLambda(x: Double, y: Double, a: Double, b: Double) -> Double {
        let s = a + b
        let bPart = s - a
        let sError = (a - (s - bPart)) + (b - bPart)  // a + b = s + sError exactly
        if x <= y {
            let p = s * x
            let pError = (-p).addingProduct(s, x)
            return ((a - p) - pError) - sError * x
        }
        let p = s * y
        let pError = (-p).addingProduct(s, y)
        return ((p - b) + pError) + sError * y
    }

    /// ln(x^a y^b / B(a,b)).
    ///
    /// - a, b ≥ 10: ½ ln(ab/(2π(a+b))) − a·φ(−λ/a) − b·φ(λ/b) − δ(a) − δ(b) + δ(a+b), with
    ///   φ(t) = t − ln(1+t) and δ the Stirling remainder (DiDonato & Morris 1992, BRCOMP).
    /// - one of them ≥ 10: a ln x + b ln y − ln Γ(small) + [ln Γ(a+b) − ln Γ(large)], the bracket from
    ///   the Stirling series as (large − ½)·ln(1 + small/large) + small·ln(a+b) − small + δ(a+b) − δ(large).
    /// - both < 10: a ln x + b ln y − ln B(a,b) with ln Γ from the C library.
    private static func logBetaPowerTerm(x: Double, y: Double, a: Double, b: Double, lambda: Double) -> Double {
        if a >= 10 && b >= 10 {
            let s = a + b
            let e = -a * logOnePlusRemainder(-lambda / a, onePlus: x * s / a)
                - b * logOnePlusRemainder(lambda / b, onePlus: y * s / b)
            return 0.5 * log(a / s * b / (2 * Double.pi)) + e
                - stirlingRemainder(a) - stirlingRemainder(b) + stirlingRemainder(s)
        }
        let logX = x <= y ? log(x) : log1p(-y)
        let logY = y <= x ? log(y) : log1p(-x)
        if a < 10 && b < 10 {
            return a * logX + b * logY - (logGamma(a) + logGamma(b) - logGamma(a + b))
        }
        let (small, large) = a < 10 ? (a, b) : (b, a)
        let logGammaRatio = (large - 0.5) * log1p(small / large) + small * log(a + b) - small
            + stirlingRemainder(a + b) - stirlingRemainder(large)  // ln Γ(a+b) − ln Γ(large)
        return a * logX + b * logY - logGamma(small) + logGammaRatio
    }

    /// The even part of the continued fraction DLMF 8.17.22 for I_x(a,b)·B(a,b)/(x^a y^b):
    /// 1/(β₁ + α₂/(β₂ + α₃/(β₃ + …))) with
    ///   α_{m+1} = (a+m−1)(a+b+m−1)·m(b−m)·x²/(a+2m−1)²,
    ///   β_{m+1} = [(a+m)(λ + m·y) + a(2m+1) + m(3m+2)]/(a+2m+1) + m(b−m)x/(a+2m−1),
    /// where the first bracket is (a+2m)(a+2m+1) − (a+m)(a+b+m)x rewritten with λ = a − (a+b)x, so
    /// that it does not cancel for x near 1 (β₁ = a(1+λ)/(a+1)). Evaluated by modified Lentz.
    private static func betaFraction(x: Double, y: Double, a: Double, b: Double, lambda: Double) -> Double {
        let tiny = 1e-300
        var f = a * (1 + lambda) / (a + 1)
        if abs(f) < tiny { f = tiny }
        var c = f
        var d = 0.0
        var m = 1.0
        while m <= 200_000 {
            let am = a + 2 * m
            let alpha = ((a + m - 1) / (am - 1)) * ((a + b + m - 1) * x) * ((b - m) * x) * (m / (am - 1))
            let beta = ((a + m) * (lambda + m * y) + a * (2 * m + 1) + m * (3 * m + 2)) / (am + 1)
                + m * ((b - m) * x) / (am - 1)
            d = beta + alpha * d
            if abs(d) < tiny { d = tiny }
            d = 1 / d
            c = beta + alpha / c
            if abs(c) < tiny { c = tiny }
            let delta = c * d
            f *= delta
            if abs(delta - 1) <= 2.3e-16 { break }
            m += 1
        }
        return 1 / f
    }

    /// Solves I_x(a,b) = p for finite a, b > 0 and 0 < p < 1 (see `betaQuantile`).
    private static func solveBetaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        let lowerTarget = p <= 0.5
        let logTarget = lowerTarget ? log(p) : log1p(-p)
        // g(x) = ln(tail) − ln(target) oriented to increase with x.
        func g(_ tails: (lower: Double, upper: Double, logPowerTerm: Double)) -> (g: Double, logTail: Double) {
            if lowerTarget {
                let logTail = log(tails.lower)
                return (logTail - logTarget, logTail)
            }
            let logTail = log(tails.upper)
            return (logTarget - logTail, logTail)
        }
        // Quantiles that round to 0 or 1.
        let smallest = Double.leastNonzeroMagnitude
        if g(betaTails(x: smallest, y: 1, a: a, b: b)).g >= 0 { return 0 }
        let largest = 1.0.nextDown
        if g(betaTails(x: largest, y: 1 - largest, a: a, b: b)).g <= 0 { return 1 }

        let logBeta = logGamma(a) + logGamma(b) - logGamma(a + b)
        var starts: [Double] = []
        let lowerPower = exp((log(p) + log(a) + logBeta) / a)
        if lowerPower < 1 { starts.append(lowerPower) }
        let upperPower = exp((log1p(-p) + log(b) + logBeta) / b)
        if upperPower < 1 { starts.append(1 - upperPower) }
        if a > 1 && b > 1 {
            let z = normalQuantile(p)
            let logit = log((a - 0.5) / (b - 0.5)) + z * (1 / (a - 0.5) + 1 / (b - 0.5)).squareRoot()
            starts.append(1 / (1 + exp(-logit)))
        }
        if starts.isEmpty { starts.append(a / (a + b)) }

        return refineRoot(starts: starts, lower: 0, upper: 1, midpoint: unitMidpoint) { x in
            let y = 1 - x
            let tails = betaTails(x: x, y: y, a: a, b: b)
            let (value, logTail) = g(tails)
            // dg/dx = x^(a−1) y^(b−1)/(B·tail) = exp(L − ln tail)/(x y)
            let ratio = exp(tails.logPowerTerm - logTail)
            if x <= 0.5 {
                let slope = ratio / y  // dg/d ln x
                return (value, x * exp(-value / slope))
            }
            let slope = -ratio / x  // dg/d ln(1 − x)
            return (value, 1 - y * exp(-value / slope))
        }
    }
}

// MARK: - Gamma internals

extension Distributions {
    /// P(a,x) and Q(a,x) for finite a, x > 0; the one the algorithm computes directly is exact to
    /// rounding, the other is 1 minus it (and is then the larger of the two, at least 0.3 or so).
    static func gammaTails(a: Double, x: Double) -> (lower: Double, upper: Double) {
        // ln(x^a e^(−x)/Γ(a+1))
        let logFront: Double
        if a >= 10 {
            let t = (x - a) / a
            logFront = -a * logOnePlusRemainder(t, onePlus: x / a) - 0.5 * log(2 * Double.pi * a)
                - stirlingRemainder(a)
        } else {
            logFront = a * log(x) - x - logGamma(a + 1)
        }
        // exp(logFront), or e^(−x)·exp(logFront + x) when the large, exact −x would otherwise
        // dominate the rounding of the sum (a < 10, 1 ≪ x < 700).
        let front = a < 10 && x > 1 && x < 700 ? exp(-x) * exp(a * log(x) - logGamma(a + 1)) : exp(logFront)
        if x < a + 1 && a < 1 {
            // P = x^a/Γ(a+1)·(1 + a·Σₙ₌₁ (−x)ⁿ/(n!(a+n))) (Abramowitz & Stegun 6.5.29); P is close
            // to 1 when a is small, so Q = −expm1(ln P) (as in DiDonato & Morris 1986, TOMS 654).
            var power = 1.0
            var sum = 0.0
            var n = 1.0
            while n < 1000 {
                power *= -x / n
                let term = power / (a + n)
                sum += term
                if abs(term) <= 1e-17 * abs(sum) { break }
                n += 1
            }
            let logLower = a * log(x) - logGammaOnePlus(a) + log1p(a * sum)
            return (min(1, exp(logLower)), max(0, -expm1(logLower)))
        }
        if x < a + 1 {
            // P = front · Σ xⁿ/((a+1)…(a+n))
            var term = 1.0
            var sum = 1.0
            var n = 1.0
            while n < 1_000_000 {
                term *= x / (a + n)
                sum += term
                if term <= sum * 1e-17 { break }
                n += 1
            }
            let lower = min(1, front * sum)
            return (lower, 1 - lower)
        }
        // Q = front · a / (x+1−a − 1(1−a)/(x+3−a − 2(2−a)/(x+5−a − …))), modified Lentz.
        let tiny = 1e-300
        var bn = (x - a) + 1
        var c = 1 / tiny
        var d = 1 / bn
        var h = d
        var i = 1.0
        while i < 1_000_000 {
            let an = -i * (i - a)
            bn += 2
            d = an * d + bn
            if abs(d) < tiny { d = tiny }
            c = bn + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 2.3e-16 { break }
            i += 1
        }
        let upper = min(1, front * a * h)
        return (1 - upper, upper)
    }
}

// MARK: - Shared helpers

extension Distributions {
    /// ln Γ(x) for x > 0 (reentrant `lgamma_r`; the sign is not needed).
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// ln Γ(1 + a) for |a| ≤ 1 without the rounding of 1 + a: with 1 + a = s + e exactly (s the
    /// rounded sum), ln Γ(1 + a) = ln Γ(s) + ψ(s)·e to within e², where ψ needs only a few digits
    /// (ψ(z) ≈ ln z − 1/(2z) − 1/(12z²) after the recurrence ψ(z) = ψ(z+1) − 1/z up to z ≥ 6;
    /// Abramowitz & Stegun 6.3.5, 6.3.18). Matters when a is small: ln Γ(1 + a) ≈ −γa.
    static func logGammaOnePlus(_ a: Double) -> Double {
        let s = 1 + a
        let e = (1 - s) + a  // exact (Fast2Sum, |a| ≤ 1)
        var z = s
        var psi = 0.0
        while z < 6 {
            psi -= 1 / z
            z += 1
        }
        psi += log(z) - 0.5 / z - 1 / (12 * z * z)
        return logGamma(s) + psi * e
    }

    /// Stirling remainder δ(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π] for z ≥ 10, from the
    /// asymptotic series Σ B₂ₖ/(2k(2k−1) z^(2k−1)) to k = 8 (DLMF 5.11.1); the error is below 2e-18.
    static func stirlingRemainder(_ z: Double) -> Double {
        let r = 1 / z
        let r2 = r * r
        var s = -3617.0 / 122_400
        s = s * r2 + 1.0 / 156
        s = s * r2 - 691.0 / 360_360
        s = s * r2 + 1.0 / 1188
        s = s * r2 - 1.0 / 1680
        s = s * r2 + 1.0 / 1260
        s = s * r2 - 1.0 / 360
        s = s * r2 + 1.0 / 12
        return s * r
    }

    /// t − ln(1 + t) for t ≥ −1 without cancellation. `onePlus` is 1 + t formed from the exactly known
    /// variable; it is used when t < −½ (where 1 + t itself would lose the information). For
    /// −½ ≤ t ≤ 1 the series t·u − 2(u³/3 + u⁵/5 + …), u = t/(2+t), |u| ≤ ⅓ (from ln(1+t) = 2 artanh u).
    static func logOnePlusRemainder(_ t: Double, onePlus: Double) -> Double {
        if t < -0.5 { return t - log(onePlus) }
        if t > 1 { return t - log1p(t) }
        let u = t / (2 + t)
        let u2 = u * u
        var power = u * u2
        var sum = 0.0
        var k = 3.0
        while k < 80 {
            let add = power / k
            sum += add
            if abs(add) <= 1e-17 * abs(sum) { break }
            power *= u2
            k += 2
        }
        return t * u - 2 * sum
    }

    /// Safeguarded Newton iteration for a function g that increases on (lower, upper).
    ///
    /// `evaluate(x)` returns g(x) and the Newton proposal (in whatever variable suits g). Each start is
    /// evaluated (narrowing the bracket) and the one with the smallest |g| is used; a proposal outside
    /// the current bracket is replaced by `midpoint(lo, hi)`. Stops when a step moves less than two
    /// units in the last place, or when the bracket cannot shrink further.
    private static func refineRoot(
        starts: [Double], lower: Double, upper: Double,
        midpoint: (Double, Double) -> Double,
        evaluate: (Double) -> (g: Double, next: Double)
    ) -> Double {
        var lo = lower
        var hi = upper
        var x = Double.nan
        var next = Double.nan
        var bestAbs = Double.infinity
        for s in starts where s > lo && s < hi {
            let e = evaluate(s)
            if e.g == 0 { return s }
            if abs(e.g) < bestAbs || x.isNaN {
                bestAbs = abs(e.g)
                x = s
                next = e.next
            }
            if e.g < 0 { lo = max(lo, s) } else if e.g > 0 { hi = min(hi, s) }
        }
        if x.isNaN {
            x = midpoint(lo, hi)
            let e = evaluate(x)
            if e.g == 0 { return x }
            if e.g < 0 { lo = x } else { hi = x }
            next = e.next
        }
        for _ in 0..<300 {
            var candidate = next
            if !(candidate > lo && candidate < hi) { candidate = midpoint(lo, hi) }
            if !(candidate > lo && candidate < hi) { return x }  // bracket is two adjacent doubles
            if abs(candidate - x) <= 2 * x.ulp { return candidate }
            let e = evaluate(candidate)
            x = candidate
            next = e.next
            if e.g == 0 { return x }
            if e.g < 0 { lo = x } else if e.g > 0 { hi = x } else { return x }  // NaN: give up
        }
        return x
    }

    /// Bisection point of a bracket in (0, ∞): geometric when the ends are far apart.
    private static func positiveMidpoint(_ lo: Double, _ hi: Double) -> Double {
        let l = max(lo, Double.leastNormalMagnitude)
        let h = min(hi, Double.greatestFiniteMagnitude)
        if h > 4 * l { return exp(0.5 * (log(l) + log(h))) }
        return l + 0.5 * (h - l)
    }

    /// Bisection point of a bracket in (0, 1): geometric in x below ½ and in 1 − x above ½.
    private static func unitMidpoint(_ lo: Double, _ hi: Double) -> Double {
        if lo < 0.5 && hi > 0.5 { return 0.5 }
        if hi <= 0.5 {
            let l = max(lo, Double.leastNonzeroMagnitude)
            if hi > 4 * l { return exp(0.5 * (log(l) + log(hi))) }
            return l + 0.5 * (hi - l)
        }
        let yl = max(1 - hi, 0.5 * 1.0.ulp)
        let yh = 1 - lo
        if yh > 4 * yl { return 1 - exp(0.5 * (log(yl) + log(yh))) }
        return lo + 0.5 * (hi - lo)
    }
}
