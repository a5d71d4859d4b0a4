import Testing
@testable import MonitorCore

/// The sums-based fast path of domain estimation (`DomainSums`) gives the covariance of the general
/// influence-matrix path (`meansByInfluence`), which the R expectations pinned first, on designs of every
/// kind the fast path takes: strata or not, finite population correction or not, post-stratified or not
/// (with rows outside every post-stratum), categories and numbers, domains with missing codes.
@Suite("Domain sums (fast path) = influence matrix (general path)")
struct DomainSumsTests {
    struct Case: Sendable, CustomStringConvertible {
        var seed: UInt64
        var strata: Bool
        var fpc: Bool
        var postStratified: Bool
        var numeric: Bool
        var description: String { "seed \(seed) strata \(strata) fpc \(fpc) post \(postStratified) numeric \(numeric)" }
    }

    static let cases: [Case] = (0..<32).map { (k: Int) -> Case in
        let bit = { (b: Int) -> Bool in (k >> b) & 1 == 1 }
        return Case(seed: UInt64(1000 + k), strata: bit(0), fpc: bit(1), postStratified: bit(2), numeric: bit(3))
    }

    func design(_ c: Case, rows n: Int, random r: inout SplitMix64) throws -> SurveyDesign {
        let strata = c.strata ? Grouping(labels: ["a", "b", "c"], codes: (0..<n).map { Int32($0 % 3) }) : nil
        let sizes: [Double] = [400, 900, 1500]
        let fpc: [Double]? = c.fpc ? (0..<n).map { (i: Int) -> Double in c.strata ? sizes[i % 3] : 5000 } : nil
        let weights = (0..<n).map { _ in 1 + 9 * r.uniform() }
        var design = try SurveyDesign(rowCount: n, weights: c.fpc ? nil : weights, strata: strata, fpc: fpc)
        if c.postStratified {
            // Four post-strata cutting across the strata; a few rows outside every cell.
            var cells: [Int32] = []
            for _ in 0..<n { cells.append(r.below(25) == 0 ? -1 : Int32(r.below(4))) }
            var g: [Double] = []
            for (i, w) in design.weights.enumerated() { g.append(cells[i] < 0 ? w : w * (0.8 + 0.1 * Double(cells[i]))) }
            let margin = SurveyDesign.CalibrationMargin(cells: cells, cellCount: 4, weights: g)
            design = design.calibrated(weights: g.map { $0 * 1.01 }, step: .postStratification(margin))
        }
        return design
    }

    @Test("means and covariance agree to 1e-9", arguments: cases)
    func agree(_ c: Case) throws {
        var r = SplitMix64(state: c.seed)
        let n = 150 + r.below(100)
        let design = try design(c, rows: n, random: &r)
        #expect(design.layout != nil)
        let outcome: Outcome = c.numeric
            ? .numeric((0..<n).map { _ in r.below(10) == 0 ? .nan : Double(r.below(11)) })
            : .categorical(Grouping(labels: ["x", "y", "z"], codes: (0..<n).map { _ in r.below(12) == 0 ? -1 : Int32(r.below(3)) }))
        let domains = Grouping(labels: ["d1", "d2", "d3", "leeg"], codes: (0..<n).map { _ in r.below(8) == 0 ? -1 : Int32(r.below(3)) })
        for by in [nil, domains] {
            let fast = try design.means(outcome, domains: by)
            let general = try design.meansByInfluence(outcome, domains: by)
            #expect(fast.n == general.n)
            #expect(fast.cellCounts == general.cellCounts)
            for (a, b) in zip(fast.estimates, general.estimates) {
                #expect(a.isNaN == b.isNaN)
                if !a.isNaN { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
            }
            let scale = general.covariance.map(abs).max() ?? 1
            for (a, b) in zip(fast.covariance, general.covariance) {
                #expect(abs(a - b) <= 1e-9 * scale, "\(a) vs \(b)")
            }
        }
        // Group versus rest and the domain degrees of freedom: the same through both paths.
        // The Rao-Scott table test: joint shares from the sums = joint shares from the influence values.
        let tableFast = try GroupComparison.versusRest(design, variable: "y", outcome: outcome, by: domains)
        let tableGeneral = try GroupComparison.versusRest(design, variable: "y", outcome: outcome, by: domains, alpha: 0.05,
                                                          thresholds: ReportingThresholds(), sums: nil)
        #expect(tableFast.count == tableGeneral.count)
        for (a, b) in zip(tableFast, tableGeneral) {
            #expect(a.verdict == b.verdict && a.df == b.df)
            if a.pValue.isFinite || b.pValue.isFinite { #expect(abs(a.pValue - b.pValue) <= 1e-8, "\(a.pValue) vs \(b.pValue)") }
        }
        let fastTests = try GroupComparison.versusRest(design, variable: "y", outcome: outcome, by: domains, test: .wald)
        for g in 0..<domains.count {
            let split = Grouping(labels: [domains.labels[g], "rest"], codes: domains.codes.map { $0 < 0 ? -1 : ($0 == Int32(g) ? 0 : 1) })
            let means = try design.meansByInfluence(outcome, domains: split)
            let df = Double(design.degreesOfFreedom { split.codes[$0] >= 0 && outcome.isObserved($0) } - 1)
            let slow = GroupComparison.verdicts(means, df: df, variable: "y", kind: .groupVersusRest, comparisons: 1,
                                                alpha: 0.05, thresholds: ReportingThresholds())
            let fast = fastTests.filter { $0.group == domains.labels[g] }
            #expect(fast.count == slow.count)
            for (a, b) in zip(fast, slow) {
                #expect(a.verdict == b.verdict)
                #expect(a.df == b.df)
                if a.pValue.isFinite || b.pValue.isFinite { #expect(abs(a.pValue - b.pValue) <= 1e-8) }
            }
        }
        let perDomain = design.degreesOfFreedom(domains: domains)
        for d in 0..<domains.count {
            #expect(perDomain[d] == design.degreesOfFreedom { domains.codes[$0] == Int32(d) })
        }
    }

    @Test("raked designs (weights constant within the margins' joint cells) agree to 1e-9; varying ones take the general path",
          arguments: [UInt64(7), 8, 9, 10])
    func raked(_ seed: UInt64) throws {
        var r = SplitMix64(state: seed)
        let n = 200 + r.below(100)
        let strata = seed % 2 == 0 ? Grouping(labels: ["a", "b"], codes: (0..<n).map { Int32($0 % 2) }) : nil
        var design = try SurveyDesign(rowCount: n, strata: strata)
        // Two margins (4 and 3 cells; a few rows outside the second), factors per cell as raking produces them.
        var c1: [Int32] = [], c2: [Int32] = []
        for _ in 0..<n { c1.append(Int32(r.below(4))); c2.append(r.below(20) == 0 ? -1 : Int32(r.below(3))) }
        let f1 = (0..<4).map { _ in 0.5 + r.uniform() }, f2 = (0..<3).map { _ in 0.5 + r.uniform() }
        let g1 = (0..<n).map { f1[Int(c1[$0])] * (c2[$0] >= 0 ? 0.9 * f2[Int(c2[$0])] : 1) }
        let g2 = (0..<n).map { f1[Int(c1[$0])] * (c2[$0] >= 0 ? f2[Int(c2[$0])] : 1) }
        let margins = [SurveyDesign.CalibrationMargin(cells: c1, cellCount: 4, weights: g1),
                       SurveyDesign.CalibrationMargin(cells: c2, cellCount: 3, weights: g2)]
        design = design.calibrated(weights: g2, step: .raking(margins))
        #expect(design.layout?.raking != nil)
        let outcome: Outcome = .categorical(Grouping(labels: ["x", "y"], codes: (0..<n).map { _ in r.below(10) == 0 ? -1 : Int32(r.below(2)) }))
        let domains = Grouping(labels: ["d1", "d2", "d3"], codes: (0..<n).map { _ in Int32(r.below(3)) })
        for by in [nil, domains] {
            let fast = try design.means(outcome, domains: by)
            let general = try design.meansByInfluence(outcome, domains: by)
            let scale = general.covariance.map(abs).max() ?? 1
            for (a, b) in zip(fast.covariance, general.covariance) { #expect(abs(a - b) <= 1e-9 * scale, "\(a) vs \(b)") }
            for (a, b) in zip(fast.estimates, general.estimates) { #expect(abs(a - b) <= 1e-12) }
        }
        // A weight that varies within a joint cell: no fast path.
        var varied = g1
        varied[0] *= 1.5
        let other = try SurveyDesign(rowCount: n, strata: strata).calibrated(
            weights: g2, step: .raking([SurveyDesign.CalibrationMargin(cells: c1, cellCount: 4, weights: varied), margins[1]]))
        #expect(other.layout == nil)
    }

    @Test("many large raking margins (7 × 1,000 cells, a joint product past Int's range) take the general path, no overflow")
    func manyLargeMargins() throws {
        var r = SplitMix64(state: 42)
        let n = 300
        let margins = (0..<7).map { _ in
            SurveyDesign.CalibrationMargin(cells: (0..<n).map { _ in Int32(r.below(1000)) }, cellCount: 1000,
                                           weights: [Double](repeating: 1, count: n))
        }
        let design = try SurveyDesign(rowCount: n).calibrated(weights: [Double](repeating: 1, count: n), step: .raking(margins))
        #expect(design.layout == nil)
        let y = (0..<n).map { _ in Double(r.below(2)) }
        let means = try design.means(.numeric(y))
        #expect(means.estimates[0].isFinite && means.covariance[0] >= 0)
    }

    @Test("a clustered design takes the general path")
    func clustered() throws {
        let design = try SurveyDesign(rowCount: 6, clusters: Grouping(labels: ["1", "2", "3"], codes: [0, 0, 1, 1, 2, 2]))
        #expect(design.layout == nil)
        let m = try design.means(.numeric([1, 2, 3, 4, 5, 6]))
        #expect(abs(m.estimates[0] - 3.5) < 1e-12)
    }
}
