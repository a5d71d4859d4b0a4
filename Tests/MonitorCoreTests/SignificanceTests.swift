import Foundation
import Testing
@testable import MonitorCore

@Suite("SPSS column proportions, Wilson and trend tests agree with R")
struct SignificanceTests {
    let r: Expectations
    let fixture: MonitorFixture
    let columns: FixtureColumns

    init() throws {
        r = try Expectations("column-proportions.csv")
        fixture = try MonitorFixture()
        columns = FixtureColumns(table: fixture.table)
    }

    func expect(_ actual: Double, _ caseName: String, _ quantity: String, group: String = "", tolerance: Double = 1e-9,
                sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected = r.value(caseName, quantity, group: group) else {
            Issue.record("no expectation \(caseName) \(quantity) [\(group)]", sourceLocation: sourceLocation)
            return
        }
        #expect(relativelyClose(actual, expected, tolerance), "\(caseName) \(quantity) [\(group)]: \(actual) vs R \(expected)",
                sourceLocation: sourceLocation)
    }

    @Test("unweighted column proportions = R prop.test(correct = FALSE); weighted uses effective bases",
          arguments: ["spss_unweighted", "spss_weighted_effective_base"])
    func columnProportions(caseName: String) throws {
        let weights = caseName == "spss_unweighted" ? [Double](repeating: 1, count: fixture.w0.count) : fixture.w0
        let tests = ColumnProportions.compare(weights: weights, variable: "bedreiging", outcome: .numeric(columns.numbers("bedreiging")),
                                              by: columns.grouping("bestuurslaag"))
        #expect(tests.count == 3)
        for t in tests {
            let pair = "\(t.group)|\(t.other)"
            expect(t.estimate, caseName, "colprop.bedreiging.p_i", group: pair)
            expect(t.otherEstimate, caseName, "colprop.bedreiging.p_j", group: pair)
            expect(t.statistic, caseName, "colprop.bedreiging.z", group: pair)
            expect(t.pValue, caseName, "colprop.bedreiging.p_value", group: pair)
            expect(t.adjustedPValue, caseName, "colprop.bedreiging.p_bonferroni", group: pair)
            #expect(t.df == nil)
        }
        // The report's reading: gemeente higher than both others at 5% after Bonferroni (unweighted).
        if caseName == "spss_unweighted" {
            #expect(tests.filter { $0.group == "gemeente" }.allSatisfy { $0.verdict == .higher })
            #expect(tests.first { $0.group == "provincie" }?.verdict == .notSignificant)
        }
    }

    @Test("Wilson interval on Kish's effective n, overall and per bestuurslaag")
    func wilson() throws {
        let rows = try Estimator.estimate(try SurveyDesign(rowCount: fixture.table.rowCount, weights: fixture.w0), variable: "bedreiging",
                                          outcome: .numeric(columns.numbers("bedreiging")), by: columns.grouping("bestuurslaag"),
                                          options: EstimationOptions(interval: .wilson))
        for row in rows {
            expect(row.estimate!, "wilson_kish", "wilson.bedreiging.p", group: row.group)
            expect(row.effectiveN, "wilson_kish", "wilson.bedreiging.n_eff", group: row.group)
            expect(row.ciLow!, "wilson_kish", "wilson.bedreiging.lower", group: row.group)
            expect(row.ciHigh!, "wilson_kish", "wilson.bedreiging.upper", group: row.group)
        }
    }

    @Test("change against a published figure (p0 = 0.21, n0 = 3033) on the post-stratified design")
    func trend() throws {
        let margin = try fixture.margin("frame.csv")
        let w = try PostStratification.weights(base: fixture.w0, margin: margin)
        let design = try SurveyDesign(rowCount: fixture.table.rowCount, weights: fixture.w0)
            .calibrated(weights: w, step: .postStratification(.init(cells: margin.cellOfRow, cellCount: margin.labels.count, weights: w)))
        let m = try design.means(.numeric(columns.numbers("bedreiging")))
        let t = TrendComparison.compare(variable: "bedreiging", current: m.estimates[0], standardError: m.standardError(level: 0, domain: 0),
                                        n: m.n[0], previous: PublishedFigure(label: "2022", proportion: 0.21, n: 3033))
        expect(m.estimates[0], "trend_published", "trend.bedreiging.p1")
        expect(m.standardError(level: 0, domain: 0), "trend_published", "trend.bedreiging.s1")
        expect(t.statistic, "trend_published", "trend.bedreiging.z")
        expect(t.pValue, "trend_published", "trend.bedreiging.p_value")
        #expect(t.verdict == .notSignificant)
        #expect(t.other == "2022")
    }

    @Test("the bound for an earlier wave without n is the limit of the trend test as n0 grows, and below it for every n0")
    func trendBound() throws {
        let current = 0.22, se = 0.021, p0 = 0.26
        let bound = try #require(TrendComparison.bound(current: current * 100, standardError: se * 100, previous: p0 * 100))
        // z = 4 / 2.1 points: p = 2(1 − Φ(1.905)) = 0.0568 (no sampling error in the earlier figure).
        #expect(abs(bound - 2 * Distributions.normalSurvival(4 / 2.1)) < 1e-12)
        for n0 in [10, 100, 1_000, 100_000] {
            let p = TrendComparison.compare(variable: "x", current: current, standardError: se, n: 400,
                                            previous: PublishedFigure(label: "2018", proportion: p0, n: n0)).pValue
            #expect(p >= bound, "n0 \(n0)")
        }
        let far = TrendComparison.compare(variable: "x", current: current, standardError: se, n: 400,
                                          previous: PublishedFigure(label: "2018", proportion: p0, n: 100_000_000)).pValue
        #expect(abs(far - bound) < 1e-6)
        #expect(TrendComparison.bound(current: 22, standardError: 0, previous: 26) == nil)
    }

    @Test("small groups: n < 50 is indicatief, n < 10 suppressed with no numbers shown")
    func smallGroups() throws {
        let n = 60
        let y = (0..<n).map { Double($0 % 2) }
        let g = Grouping(labels: ["groot", "middel", "klein"], codes: (0..<n).map { $0 < 45 ? 0 : ($0 < 55 ? 1 : 2) })
        let rows = try Estimator.estimate(try SurveyDesign(rowCount: n), variable: "y", outcome: .numeric(y), by: g)
        let byGroup = Dictionary(uniqueKeysWithValues: rows.map { ($0.group, $0) })
        #expect(byGroup[""]?.flag == SmallGroupFlag.none)
        #expect(byGroup["groot"]?.flag == .indicative)
        #expect(byGroup["middel"]?.flag == .indicative)
        #expect(byGroup["klein"]?.flag == .suppressed)
        #expect(byGroup["klein"]?.estimate == nil && byGroup["klein"]?.ciLow == nil && byGroup["klein"]?.n == 5)
        let tests = try GroupComparison.versusRest(try SurveyDesign(rowCount: n), variable: "y", outcome: .numeric(y), by: g)
        #expect(tests.first { $0.group == "klein" }?.verdict == .notTested)
    }

    @Test("a proportion of 0 gets a Clopper-Pearson interval [0, 1 − (α/2)^(1/n)] instead of R's NaN")
    func zeroProportion() throws {
        let n = 40
        let rows = try Estimator.estimate(try SurveyDesign(rowCount: n), variable: "y", outcome: .numeric([Double](repeating: 0, count: n)))
        #expect(rows[0].estimate == 0 && rows[0].ciLow == 0)
        #expect(relativelyClose(rows[0].ciHigh!, 1 - pow(0.025, 1.0 / Double(n)), 1e-10))
    }

    @Test("design errors name the row: lonely PSU, cluster in two strata, varying fpc")
    func designErrors() throws {
        let strata = Grouping(labels: ["a", "b"], codes: [0, 0, 1])
        #expect(throws: DesignError.lonelyPSU(stratum: "b")) {
            _ = try SurveyDesign(rowCount: 3, strata: strata).means(.numeric([1, 2, 3]))
        }
        let certain = try SurveyDesign(rowCount: 3, strata: strata, lonelyPSU: .certainty).means(.numeric([1, 2, 3]))
        #expect(certain.variance(level: 0, domain: 0) > 0)
        #expect(throws: DesignError.clusterInSeveralStrata(cluster: "k", strata: ["a", "b"])) {
            _ = try SurveyDesign(rowCount: 3, strata: strata, clusters: Grouping(labels: ["k"], codes: [0, 0, 0]))
        }
        #expect(throws: DesignError.fpcVariesWithinStratum(stratum: "a", first: 10, other: 11, row: 1)) {
            _ = try SurveyDesign(rowCount: 3, strata: strata, fpc: [10, 11, 5])
        }
        #expect(throws: DesignError.invalidWeight(row: 2, value: 0)) {
            _ = try SurveyDesign(rowCount: 3, weights: [1, 2, 0])
        }
    }
}
