import Foundation
import PropertyBased
import Testing
@testable import MonitorCore

/// The designs of scripts/r/edges.R (Tests/Fixtures/edges/), declared as R declares them.
struct EdgeFixture {
    let columns: FixtureColumns
    var rowCount: Int { columns.table.rowCount }

    init() throws { columns = FixtureColumns(table: try Fixtures.read("edges/edges.csv")) }

    func design(_ name: String) throws -> SurveyDesign {
        let w0 = columns.numbers("w0")
        switch name {
        case "w": return try SurveyDesign(rowCount: rowCount, weights: w0)
        case "strat": return try SurveyDesign(rowCount: rowCount, weights: w0, strata: columns.grouping("h"))
        case "post":
            let frame = try Frame.load(path: Fixtures.path("edges/frame.csv"))
            let margin = frame.margin(name: "cel", columns: [columns.strings("cel")], rowCount: rowCount)
            let w = try PostStratification.weights(base: w0, margin: margin)
            return try SurveyDesign(rowCount: rowCount, weights: w0).calibrated(weights: w, step: .postStratification(
                .init(cells: margin.cellOfRow, cellCount: margin.labels.count, weights: w)))
        default: fatalError("unknown design \(name)")
        }
    }

    /// g with R's level order a, b, c, klein.
    var g: Grouping { columns.grouping("g") }
}

@Suite("Statistics at the edges agree with R survey")
struct EdgeTests {
    static let designs = ["w", "strat", "post"]
    static let offsets = ["y", "y_1e4", "y_1e8", "y_1e12"]
    let r: Expectations
    let fixture: EdgeFixture

    init() throws {
        r = try Expectations("edges.csv")
        fixture = try EdgeFixture()
    }

    func expect(_ value: Double, _ caseName: String, _ quantity: String, group: String = "", tolerance: Double = 1e-9,
                sourceLocation: SourceLocation = #_sourceLocation) {
        r.expect(value, caseName, quantity, group: group, tolerance: tolerance, sourceLocation: sourceLocation)
    }

    /// R itself loses digits at large offsets: at 1e12 its SEs drift by up to 4e-6 relative and its t by 0.2%, at
    /// 1e8 its t by 9e-8 (its means carry the offset, and a − rest cancels it). There the reference is R's value
    /// for y without the offset: the data are exact on a 1/1024 grid, so that is the answer.
    @Test("a number's mean, domain means and SEs do not depend on an offset of up to 1e12", arguments: designs)
    func offsets(_ name: String) throws {
        let design = try fixture.design(name)
        for v in Self.offsets {
            let y = fixture.columns.numbers(v)
            let reference = v == "y_1e12" ? "y" : v
            let overall = try design.means(.numeric(y))
            expect(overall.estimates[0], name, "svymean.\(v).mean", tolerance: 1e-12)
            expect(overall.standardError(level: 0, domain: 0), name, "svymean.\(reference).se")
            // Both paths: the sums (fast) and the influence values (general).
            for means in [try design.means(.numeric(y), domains: fixture.g), try design.meansByInfluence(.numeric(y), domains: fixture.g)] {
                for (d, group) in means.domains.enumerated() {
                    expect(means.estimate(level: 0, domain: d), name, "svyby_mean.\(v)_by_g.mean", group: group, tolerance: 1e-12)
                    expect(means.standardError(level: 0, domain: d), name, "svyby_mean.\(reference)_by_g.se", group: group)
                }
            }
            let a = Grouping(labels: ["a", "rest"], codes: fixture.g.codes.map { $0 == 0 ? 0 : 1 })
            let t = try GroupComparison.versusRest(design, variable: v, outcome: .numeric(y), by: a, test: .wald)
            // R's svyttest(y ~ I(g == "a")): a minus the rest, as ours.
            expect(t[0].statistic, name, "svyttest.\(v == "y_1e8" ? "y" : reference)_a_vs_rest.t")
        }
    }

    @Test("a domain with one respondent has SE 0 (R: 0 without calibration, rounding noise after it)", arguments: designs)
    func oneRespondent(_ name: String) throws {
        let design = try fixture.design(name)
        let y = fixture.columns.numbers("y_1e8")
        let solo = fixture.columns.grouping("solo")
        let k = solo.labels.firstIndex(of: "solo")!
        for means in [try design.means(.numeric(y), domains: solo), try design.meansByInfluence(.numeric(y), domains: solo)] {
            #expect(means.standardError(level: 0, domain: k) == 0)
            expect(means.estimate(level: 0, domain: k), name, "svyby_mean.y_1e8_by_solo.mean", group: "solo", tolerance: 1e-15)
            let rSE = r.value(name, "svyby_mean.y_1e8_by_solo.se", group: "solo")!
            #expect(name == "post" ? rSE < 1e-7 : rSE == 0)
        }
        let rows = try Estimator.estimate(design, variable: "y_1e8", outcome: .numeric(y), by: solo,
                                          options: EstimationOptions(thresholds: ReportingThresholds(indicative: 1, minimum: 1)))
        #expect(rows.first { $0.group == "solo" }?.standardError == 0)
    }

    @Test("group against the rest at a 0% group: the Rao-Scott 2x2 F of R svychisq, fast and general paths", arguments: designs)
    func raoScottVersusRest(_ name: String) throws {
        let design = try fixture.design(name)
        let b = fixture.columns.numbers("b01")
        let g = fixture.g
        let fast = try GroupComparison.versusRest(design, variable: "b01", outcome: .numeric(b), by: g)
        let categories = Grouping(labels: ["0", "1"], codes: b.map { $0.isNaN ? -1 : Int32($0) })
        let general = try GroupComparison.versusRest(design, variable: "b01", outcome: .categorical(categories), by: g,
                                                     alpha: 0.05, thresholds: ReportingThresholds(), sums: nil)
            .filter { $0.level == "1" }
        #expect(fast.count == 4 && general.count == 4)
        for results in [fast, general] {
            for c in results {
                #expect(c.method == .raoScottF)
                expect(c.statistic, name, "svychisq_F.b01_\(c.group)_vs_rest.statistic")
                expect(c.df ?? .nan, name, "svychisq_F.b01_\(c.group)_vs_rest.ddf")
                expect(c.pValue, name, "svychisq_F.b01_\(c.group)_vs_rest.p_value")
            }
        }
        // klein is 0%: the Wald t is huge, the table test is not.
        let klein = fast.first { $0.group == "klein" }!
        #expect(klein.estimate == 0)
        let wald = try GroupComparison.versusRest(design, variable: "b01", outcome: .numeric(b), by: g, test: .wald)
            .first { $0.group == "klein" }!
        #expect(wald.method == .waldT && wald.pValue < klein.pValue)
    }

    @Test("pairwise 2x2 Rao-Scott equals R svychisq on the subset of the two groups", arguments: designs)
    func raoScottPairwise(_ name: String) throws {
        let design = try fixture.design(name)
        let b = fixture.columns.numbers("b01")
        let results = try GroupComparison.pairwise(design, variable: "b01", outcome: .numeric(b), by: fixture.g)
        #expect(results.count == 6)
        for c in results {
            expect(c.statistic, name, "svychisq_F.b01_\(c.group)_vs_\(c.other).statistic")
            expect(c.df ?? .nan, name, "svychisq_F.b01_\(c.group)_vs_\(c.other).ddf")
            expect(c.pValue, name, "svychisq_F.b01_\(c.group)_vs_\(c.other).p_value")
            #expect(c.adjustedPValue == min(1, 6 * c.pValue))
        }
    }

    @Test("Rao-Scott of the whole table: R's X-squared (unadjusted), its adjusted p, and F", arguments: designs)
    func raoScottTable(_ name: String) throws {
        let design = try fixture.design(name)
        let b = fixture.columns.numbers("b01")
        let rows = Grouping(labels: ["0", "1"], codes: b.map { $0.isNaN ? -1 : Int32($0) })
        let t = try #require(try RaoScottTest.test(design, variable: "b01", outcome: rows, by: "g", groups: fixture.g))
        expect(t.pearson, name, "svychisq_Chisq.b01_x_g.statistic")
        expect(Double(t.chisqDF), name, "svychisq_Chisq.b01_x_g.df")
        expect(t.chisqPValue, name, "svychisq_Chisq.b01_x_g.p_value")
        expect(t.f, name, "svychisq_F.b01_x_g.statistic")
        expect(t.numeratorDF, name, "svychisq_F.b01_x_g.ndf")
        expect(t.denominatorDF, name, "svychisq_F.b01_x_g.ddf")
        expect(t.fPValue, name, "svychisq_F.b01_x_g.p_value")
    }
}

@Suite("Properties at the edges")
struct EdgePropertyTests {
    @Test("SE(x + c) = SE(x) to 1e-9 for offsets c up to 1e8, every design path and domain")
    func offsetInvariance() async {
        // Values on a 1/1024 grid, so that x + c is exact and any difference is the algorithm's.
        await propertyCheck(count: 60, input: Gen.int(in: -4096...4096).array(of: 20...80), Gen.double(in: 0.2...5).array(of: 80),
                            Gen.int(in: 0...2).array(of: 80), Gen.int(in: 0...8)) { units, weights, groups, power in
            let n = units.count
            let x = units.map { Double($0) / 1024 }
            let c = power == 0 ? 0 : pow(10, Double(power))
            let w = Array(weights.prefix(n))
            let domains = Grouping(labels: ["0", "1", "2"], codes: groups.prefix(n).map { Int32($0) })
            let strata = Grouping(labels: ["s", "t"], codes: (0..<n).map { Int32($0 % 2) })
            do {
                for design in [try SurveyDesign(rowCount: n, weights: w), try SurveyDesign(rowCount: n, weights: w, strata: strata)] {
                    for path in 0..<2 {
                        func means(_ y: [Double]) throws -> DomainMeans {
                            path == 0 ? try design.means(.numeric(y), domains: domains) : try design.meansByInfluence(.numeric(y), domains: domains)
                        }
                        let plain = try means(x), shifted = try means(x.map { $0 + c })
                        for d in 0..<3 where plain.n[d] > 0 {
                            let a = plain.standardError(level: 0, domain: d), b = shifted.standardError(level: 0, domain: d)
                            #expect(abs(a - b) <= 1e-9 * max(a, 1e-300) || (a < 1e-12 && b < 1e-12), "offset \(c): \(a) vs \(b)")
                        }
                    }
                }
            } catch {
                Issue.record("design failed: \(error)")
            }
        }
    }
}
