import Foundation
import PropertyBased
import Testing
@testable import MonitorCore

/// `Distributions` against R 4.2.2 (Expectations/distributions.csv, made by scripts/r/distributions.R),
/// plus edge cases and round-trip properties.
@Suite struct DistributionTests {
    /// One line of distributions.csv: `function,a,b,c,value`, arguments in R's order.
    struct Reference: Sendable, CustomStringConvertible {
        var function: String
        var a: Double
        var b: Double
        var c: Double
        var value: Double

        var description: String { "\(function)(\(a), \(b), \(c)) = \(value)" }
    }

    static let functions = [
        "pnorm", "pnorm_upper", "qnorm", "pt", "pt_two_sided", "qt", "pchisq_upper", "pf_upper",
        "pbeta", "qbeta", "pgamma_lower", "pgamma_upper",
    ]

    static func references() throws -> [Reference] {
        let path = Fixtures.testsRoot.appendingPathComponent("MonitorCoreTests/Expectations/distributions.csv").path
        let table = try CSVReader().read(.file(path), columns: .all)
        let names = ["function", "a", "b", "c", "value"]
        let columns = names.compactMap { table.column(named: $0) }
        try #require(columns.count == names.count, "distributions.csv needs the columns \(names)")
        // R writes ±Inf as "Inf"/"-Inf"; an empty argument is unused.
        func number(_ text: String) -> Double {
            switch text {
            case "Inf": .infinity
            case "-Inf": -.infinity
            case "": .nan
            default: Double(text) ?? .nan
            }
        }
        return (0..<table.rowCount).map { row in
            Reference(function: columns[0][row], a: number(columns[1][row]), b: number(columns[2][row]),
                      c: number(columns[3][row]), value: number(columns[4][row]))
        }
    }

    /// The Swift counterpart of one R call.
    static func evaluate(_ r: Reference) -> Double? {
        switch r.function {
        case "pnorm": Distributions.normalCDF(r.a)
        case "pnorm_upper": Distributions.normalSurvival(r.a)
        case "qnorm": Distributions.normalQuantile(r.a)
        case "pt": Distributions.studentTCDF(r.a, df: r.b)
        case "pt_two_sided": Distributions.studentTTwoSided(r.a, df: r.b)
        case "qt": Distributions.studentTQuantile(r.a, df: r.b)
        case "pchisq_upper": Distributions.chiSquaredSurvival(r.a, df: r.b)
        case "pf_upper": Distributions.fSurvival(r.a, df1: r.b, df2: r.c)
        case "pbeta": Distributions.regularizedBeta(r.a, a: r.b, b: r.c)
        case "qbeta": Distributions.betaQuantile(r.a, a: r.b, b: r.c)
        case "pgamma_lower": Distributions.regularizedGammaP(r.b, r.a)  // R: pgamma(q = a, shape = b)
        case "pgamma_upper": Distributions.regularizedGammaQ(r.b, r.a)
        default: nil
        }
    }

    /// Relative tolerance against R.
    ///
    /// 1e-12 everywhere except values below 1e-100: those are exp of an exponent of several hundred,
    /// which neither R nor Swift can round to better than about |ln value|·ε ≈ 1e-13, and the two
    /// evaluate it differently, so 1e-9 (the largest difference seen in this grid is 1.9e-13, for
    /// pgamma(1.5, 150) = 1e-237).
    static func tolerance(_ r: Reference) -> Double {
        abs(r.value) < 1e-100 && !r.function.hasPrefix("q") ? 1e-9 : 1e-12
    }

    @Test("every value in distributions.csv agrees with R", arguments: functions)
    func agreesWithR(function: String) throws {
        let rows = try Self.references().filter { $0.function == function }
        #expect(rows.count >= 15, "only \(rows.count) rows for \(function)")
        var largest = 0.0
        for r in rows {
            guard let got = Self.evaluate(r) else {
                Issue.record("unknown function \(r.function)")
                continue
            }
            if r.value == 0 || got == r.value {
                // Quantiles that underflow (qbeta(0.025, 0.001, 5)) and probabilities that are exactly 0.
                #expect(got == r.value, "\(r): got \(got)")
                continue
            }
            if function == "qt" && abs(r.value) < 1e-15 {
                // qt(0.5, 0.5): the exact value is 0; R returns 2.6e-16.
                #expect(abs(got) < 1e-15, "\(r): got \(got)")
                continue
            }
            let difference = abs(got - r.value) / abs(r.value)
            largest = max(largest, difference)
            #expect(relativelyClose(got, r.value, Self.tolerance(r)),
                    "\(r): got \(got), relative difference \(difference)")
        }
        #expect(largest <= 1e-12, "\(function): largest relative difference \(largest)")
    }

    @Test("distributions.csv covers the grid the brief asks for")
    func coverage() throws {
        let rows = try Self.references()
        let qt975 = Set(rows.filter { $0.function == "qt" && $0.a == 0.975 }.map(\.b))
        for df in [1, 2, 3, 5, 10, 29, 30, 59, 196, 197, 399, 1000, Double.infinity, 2.5, 37.8] {
            #expect(qt975.contains(df), "qt(0.975, \(df)) is missing")
        }
        let qbetaShapes = Set(rows.filter { $0.function == "qbeta" }.map { "\($0.b),\($0.c)" })
        for shape in ["0.3,200.0", "2.5,17.0", "40.2,388.1", "0.001,5.0", "1200.0,30000.0"] {
            #expect(qbetaShapes.contains(shape), "qbeta shapes \(shape) are missing")
        }
    }

    // MARK: - Values known exactly

    @Test("closed forms: Cauchy, t with 2 df, exponential, uniform, arcsine")
    func closedForms() {
        for t in [-1e6, -30, -3, -0.5, -1e-3] {
            // Lower tails written without 1 − x: Cauchy atan(1/|t|)/π; t₂: 1/(s(s + |t|)), s = √(2 + t²).
            let cauchy = atan(-1 / t) / Double.pi
            #expect(relativelyClose(Distributions.studentTCDF(t, df: 1), cauchy, 1e-14), "t = \(t)")
            let s = (2 + t * t).squareRoot()
            #expect(relativelyClose(Distributions.studentTCDF(t, df: 2), 1 / (s * (s - t)), 1e-14), "t = \(t)")
        }
        for p in [1e-12, 0.01, 0.3] {
            #expect(relativelyClose(Distributions.studentTQuantile(p, df: 1), -1 / tan(Double.pi * p), 1e-14))
        }
        for x in [0.001, 0.7, 5, 60] {
            // χ² with 2 df is exponential with mean 2; P(1, x) = 1 − e^(−x).
            #expect(relativelyClose(Distributions.chiSquaredSurvival(x, df: 2), exp(-x / 2), 1e-14))
            #expect(relativelyClose(Distributions.regularizedGammaP(1, x), -expm1(-x), 1e-14))
        }
        for x in [1e-9, 0.2, 0.5, 0.97] {
            #expect(relativelyClose(Distributions.regularizedBeta(x, a: 1, b: 1), x, 1e-15))
            #expect(relativelyClose(Distributions.regularizedBeta(x, a: 0.5, b: 0.5),
                                    2 / Double.pi * asin(x.squareRoot()), 1e-14))
            #expect(relativelyClose(Distributions.regularizedBeta(x, a: 3, b: 1), x * x * x, 1e-14))
        }
        #expect(Distributions.normalCDF(0) == 0.5)
        #expect(Distributions.normalQuantile(0.5) == 0)
        #expect(Distributions.studentTQuantile(0.5, df: 7.3) == 0)
        #expect(relativelyClose(Distributions.betaQuantile(0.5, a: 0.5, b: 0.5), 0.5, 1e-15))
    }

    // MARK: - Edge cases (as R)

    @Test("NaN in gives NaN out")
    func nanPropagates() {
        let nan = Double.nan
        #expect(Distributions.normalCDF(nan).isNaN)
        #expect(Distributions.normalSurvival(nan).isNaN)
        #expect(Distributions.normalQuantile(nan).isNaN)
        #expect(Distributions.studentTCDF(nan, df: 3).isNaN)
        #expect(Distributions.studentTCDF(1, df: nan).isNaN)
        #expect(Distributions.studentTTwoSided(nan, df: 3).isNaN)
        #expect(Distributions.studentTQuantile(nan, df: 3).isNaN)
        #expect(Distributions.studentTQuantile(0.3, df: nan).isNaN)
        #expect(Distributions.chiSquaredSurvival(nan, df: 3).isNaN)
        #expect(Distributions.chiSquaredSurvival(1, df: nan).isNaN)
        #expect(Distributions.fSurvival(nan, df1: 1, df2: 2).isNaN)
        #expect(Distributions.fSurvival(1, df1: nan, df2: 2).isNaN)
        #expect(Distributions.fSurvival(1, df1: 1, df2: nan).isNaN)
        #expect(Distributions.regularizedBeta(nan, a: 1, b: 2).isNaN)
        #expect(Distributions.regularizedBeta(0.5, a: nan, b: 2).isNaN)
        #expect(Distributions.betaQuantile(nan, a: 1, b: 2).isNaN)
        #expect(Distributions.betaQuantile(0.5, a: 1, b: nan).isNaN)
        #expect(Distributions.regularizedGammaP(nan, 1).isNaN)
        #expect(Distributions.regularizedGammaQ(1, nan).isNaN)
    }

    @Test("invalid parameters give NaN")
    func invalidParameters() {
        #expect(Distributions.normalQuantile(-0.1).isNaN)
        #expect(Distributions.normalQuantile(1.1).isNaN)
        #expect(Distributions.studentTCDF(1, df: 0).isNaN)
        #expect(Distributions.studentTCDF(1, df: -2).isNaN)
        #expect(Distributions.studentTTwoSided(1, df: 0).isNaN)
        #expect(Distributions.studentTQuantile(0.5, df: 0).isNaN)
        #expect(Distributions.studentTQuantile(1.5, df: 3).isNaN)
        #expect(Distributions.chiSquaredSurvival(1, df: -1).isNaN)
        #expect(Distributions.fSurvival(1, df1: 0, df2: 3).isNaN)
        #expect(Distributions.fSurvival(1, df1: 2, df2: -3).isNaN)
        #expect(Distributions.regularizedBeta(0.5, a: -1, b: 2).isNaN)
        #expect(Distributions.betaQuantile(-0.5, a: 1, b: 2).isNaN)
        #expect(Distributions.betaQuantile(0.5, a: 1, b: -2).isNaN)
        #expect(Distributions.regularizedGammaP(-1, 1).isNaN)
    }

    @Test("limits at 0, 1 and infinity")
    func limits() {
        let inf = Double.infinity
        #expect(Distributions.normalCDF(-inf) == 0)
        #expect(Distributions.normalCDF(inf) == 1)
        #expect(Distributions.normalSurvival(inf) == 0)
        #expect(Distributions.normalSurvival(-inf) == 1)
        #expect(Distributions.normalCDF(-38) == 0)  // R cuts off below the smallest normal double
        #expect(Distributions.normalQuantile(0) == -inf)
        #expect(Distributions.normalQuantile(1) == inf)
        #expect(Distributions.studentTCDF(-inf, df: 3) == 0)
        #expect(Distributions.studentTCDF(inf, df: 3) == 1)
        #expect(Distributions.studentTCDF(0, df: 3) == 0.5)
        #expect(Distributions.studentTTwoSided(0, df: 3) == 1)
        #expect(Distributions.studentTTwoSided(inf, df: 3) == 0)
        #expect(Distributions.studentTCDF(1.3, df: inf) == Distributions.normalCDF(1.3))
        #expect(Distributions.studentTTwoSided(1.3, df: inf) == 2 * Distributions.normalSurvival(1.3))
        #expect(Distributions.studentTQuantile(0.975, df: inf) == Distributions.normalQuantile(0.975))
        #expect(Distributions.studentTQuantile(0, df: 3) == -inf)
        #expect(Distributions.studentTQuantile(1, df: 3) == inf)
        // R: pt(-1e200, 0.5) = 3.2070097541422692e-101 (t² overflows; the tail is still representable)
        #expect(relativelyClose(Distributions.studentTCDF(-1e200, df: 0.5), 3.2070097541422692e-101, 1e-12))
        #expect(Distributions.chiSquaredSurvival(0, df: 3) == 1)
        #expect(Distributions.chiSquaredSurvival(-1, df: 3) == 1)
        #expect(Distributions.chiSquaredSurvival(inf, df: 3) == 0)
        #expect(Distributions.chiSquaredSurvival(0, df: 0) == 1)
        #expect(Distributions.chiSquaredSurvival(3, df: 0) == 0)
        #expect(Distributions.fSurvival(0, df1: 3, df2: 4) == 1)
        #expect(Distributions.fSurvival(inf, df1: 3, df2: 4) == 0)
        // R: pf(2, 3, Inf) = pchisq(6, 3); pf(2, Inf, 3) = pchisq(1.5, 3, lower.tail = TRUE)
        #expect(relativelyClose(Distributions.fSurvival(2, df1: 3, df2: inf), 0.11161022509471258, 1e-13))
        #expect(relativelyClose(Distributions.fSurvival(2, df1: inf, df2: 3), 0.31772966966378746, 1e-13))
        #expect(Distributions.fSurvival(1, df1: inf, df2: inf) == 0.5)
        #expect(Distributions.regularizedBeta(0, a: 2, b: 3) == 0)
        #expect(Distributions.regularizedBeta(-1, a: 2, b: 3) == 0)
        #expect(Distributions.regularizedBeta(1, a: 2, b: 3) == 1)
        #expect(Distributions.regularizedBeta(0.3, a: 0, b: 5) == 1)
        #expect(Distributions.regularizedBeta(0.3, a: 5, b: 0) == 0)
        #expect(Distributions.regularizedBeta(0.3, a: 0, b: 0) == 0.5)
        #expect(Distributions.betaQuantile(0.3, a: 0, b: 5) == 0)
        #expect(Distributions.betaQuantile(0.3, a: 5, b: 0) == 1)
        #expect(Distributions.betaQuantile(0.7, a: 0, b: 0) == 1)
        #expect(Distributions.betaQuantile(0, a: 2, b: 3) == 0)
        #expect(Distributions.betaQuantile(1, a: 2, b: 3) == 1)
        #expect(Distributions.betaQuantile(0.025, a: 0.001, b: 5) == 0)  // 10^-1602 underflows
        #expect(Distributions.regularizedGammaP(2, 0) == 0)
        #expect(Distributions.regularizedGammaQ(2, 0) == 1)
        #expect(Distributions.regularizedGammaP(2, inf) == 1)
        #expect(Distributions.regularizedGammaP(0, 5) == 1)
        #expect(Distributions.regularizedGammaQ(inf, 5) == 1)
    }

    // MARK: - Properties

    @Test("qnorm inverts pnorm over the whole range")
    func normalRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.double(in: -37...37)) { x in
            // Each side is inverted from its own tail, so no precision is lost to 1 − p.
            let back = x <= 0 ? Distributions.normalQuantile(Distributions.normalCDF(x))
                : -Distributions.normalQuantile(Distributions.normalSurvival(x))
            #expect(abs(back - x) <= 1e-14 * max(1, abs(x)), "x = \(x), back \(back)")
        }
    }

    @Test("qt inverts pt (df from 0.5 to 1e6)")
    func studentRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.double(in: -0.3...6), Gen.double(in: -2...2.5)) { logDF, logT in
            let df = pow(10, logDF)
            let t = -pow(10, logT)  // the lower tail carries the information
            let p = Distributions.studentTCDF(t, df: df)
            guard p >= 1e-300 else { return }
            let back = Distributions.studentTQuantile(p, df: df)
            #expect(abs(back - t) <= 1e-12 * abs(t), "df = \(df), t = \(t), p = \(p), back \(back)")
        }
    }

    @Test("pt is symmetric: pt(−t) = 1 − pt(t), and the two-sided p-value is 2·pt(−|t|)")
    func studentSymmetry() async {
        await propertyCheck(count: 300, input: Gen.double(in: -0.3...6), Gen.double(in: -50...50)) { logDF, t in
            let df = pow(10, logDF)
            let lower = Distributions.studentTCDF(-t, df: df)
            let upper = Distributions.studentTCDF(t, df: df)
            #expect(abs(lower + upper - 1) <= 4 * Double.ulpOfOne, "df = \(df), t = \(t)")
            let twoSided = Distributions.studentTTwoSided(t, df: df)
            #expect(relativelyClose(twoSided, 2 * min(lower, upper), 1e-15), "df = \(df), t = \(t)")
        }
    }

    @Test("qbeta inverts pbeta (shapes from 0.05 to 1e4)")
    func betaRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.double(in: -1.3...4), Gen.double(in: -1.3...4), Gen.double(in: 0.001...0.999)) { logA, logB, u in
            let a = pow(10, logA)
            let b = pow(10, logB)
            // x spread over the bulk of the distribution: between its 1e-6 and 1 − 1e-3 quantiles.
            let low = Distributions.betaQuantile(1e-6, a: a, b: b)
            let high = Distributions.betaQuantile(0.999, a: a, b: b)
            let x = low + u * (high - low)
            guard x > 0 && x < 1 else { return }
            let p = Distributions.regularizedBeta(x, a: a, b: b)
            let back = Distributions.betaQuantile(p, a: a, b: b)
            #expect(abs(back - x) <= 1e-11 * x, "a = \(a), b = \(b), x = \(x), p = \(p), back \(back)")
        }
    }

    @Test("P(a, x) + Q(a, x) = 1 and the χ² tail is Q(df/2, x/2)")
    func gammaComplement() async {
        await propertyCheck(count: 300, input: Gen.double(in: -2...5), Gen.double(in: -2...1)) { logA, logRatio in
            let a = pow(10, logA)
            let x = a * pow(10, logRatio)
            let p = Distributions.regularizedGammaP(a, x)
            let q = Distributions.regularizedGammaQ(a, x)
            #expect(abs(p + q - 1) <= 4 * Double.ulpOfOne, "a = \(a), x = \(x)")
            #expect(Distributions.chiSquaredSurvival(2 * x, df: 2 * a) == q)
        }
    }
}
