import Foundation
import Testing
@testable import MonitorCore

/// The designs of scripts/r/designs.R (lonely PSUs averaged, an fpc of counts with a census stratum of N = 1,
/// multi-stage cluster samples), declared the same way in Swift.
enum EdgeDesign {
    static func make(_ name: String) throws -> (table: RawTable, design: SurveyDesign) {
        if name.hasPrefix("apiclus2") {
            let t = try Fixtures.read("api/apiclus2.csv")
            let c = FixtureColumns(table: t)
            let stages = [c.grouping("dnum"), c.grouping("snum")]
            let design: SurveyDesign
            switch name {
            case "apiclus2_twostage":
                design = try SurveyDesign(rowCount: t.rowCount, stages: stages, fpc: [c.numbers("fpc1"), c.numbers("fpc2")])
            case "apiclus2_twostage_fractions":
                design = try SurveyDesign(rowCount: t.rowCount, stages: stages, fpc: [c.numbers("frac1"), c.numbers("frac2")])
            case "apiclus2_twostage_weights":
                design = try SurveyDesign(rowCount: t.rowCount, weights: c.numbers("pw"), stages: stages,
                                          fpc: [c.numbers("fpc1"), c.numbers("fpc2")])
            case "apiclus2_strat_twostage":
                design = try SurveyDesign(rowCount: t.rowCount, strata: c.grouping("dstrat"), stages: stages,
                                          fpc: [c.numbers("fpc1"), c.numbers("fpc2")])
            case "apiclus2_onestage":
                design = try SurveyDesign(rowCount: t.rowCount, weights: c.numbers("pw"), clusters: c.grouping("dnum"),
                                          fpc: c.numbers("fpc1"))
            default:
                fatalError("unknown case \(name)")
            }
            return (t, design)
        }
        let t = try Fixtures.read("api/apistrat-lonely.csv")
        let c = FixtureColumns(table: t)
        let strata = c.grouping("stratum")
        switch name {
        case "lonely_fpc_average":
            return (t, try SurveyDesign(rowCount: t.rowCount, strata: strata, fpc: c.numbers("N_mixed"), lonelyPSU: .average))
        case "census_fpc":
            return (t, try SurveyDesign(rowCount: t.rowCount, strata: strata, fpc: c.numbers("N_census")))
        default:
            let rule = SurveyDesign.LonelyPSU(rawValue: String(name.dropFirst("lonely_".count)))!
            return (t, try SurveyDesign(rowCount: t.rowCount, weights: c.numbers("pw"), strata: strata, lonelyPSU: rule))
        }
    }
}

@Suite("Designs R accepts: lonely PSUs averaged, census strata, multi-stage clusters")
struct DesignTests {
    static let lonelyCases = ["lonely_certainty", "lonely_remove", "lonely_adjust", "lonely_average", "lonely_fpc_average",
                              "census_fpc"]
    static let stageCases = ["apiclus2_twostage", "apiclus2_twostage_fractions", "apiclus2_twostage_weights",
                             "apiclus2_strat_twostage", "apiclus2_onestage"]
    let r: Expectations

    init() throws { r = try Expectations("designs.csv") }

    func expect(_ actual: Double, _ caseName: String, _ quantity: String, level: String = "", group: String = "",
                tolerance: Double = 1e-9, sourceLocation: SourceLocation = #_sourceLocation) {
        r.expect(actual, caseName, quantity, level: level, group: group, tolerance: tolerance, sourceLocation: sourceLocation)
    }

    /// expectations.R's api block: df, n, Σw, svymean api00 and enroll, svytotal enroll, svymean sch_wide; means by
    /// both the fast path (when the design has one) and the influence-matrix path.
    func checkBasic(_ caseName: String) throws {
        let (t, design) = try EdgeDesign.make(caseName)
        let c = FixtureColumns(table: t)
        expect(Double(design.degreesOfFreedom), caseName, "degf")
        expect(Double(design.rowCount), caseName, "n_obs")
        expect(design.weights.reduce(0, +), caseName, "sum_weights", tolerance: 1e-12)
        for variable in ["api00", "enroll"] {
            let y = Outcome.numeric(c.numbers(variable))
            for m in [try design.means(y), try design.meansByInfluence(y)] {
                expect(m.estimates[0], caseName, "svymean.\(variable).mean")
                expect(m.standardError(level: 0, domain: 0), caseName, "svymean.\(variable).se")
            }
        }
        let total = try design.total(c.numbers("enroll"))
        expect(total.estimate, caseName, "svytotal.enroll.total")
        expect(total.standardError, caseName, "svytotal.enroll.se")
        let school = Outcome.categorical(c.grouping("sch_wide"))
        for m in [try design.means(school), try design.meansByInfluence(school)] {
            for (l, level) in m.levels.enumerated() {
                expect(m.estimate(level: l, domain: 0), caseName, "svymean.sch_wide.mean", level: level)
                expect(m.standardError(level: l, domain: 0), caseName, "svymean.sch_wide.se", level: level)
            }
        }
    }

    @Test("lonely PSUs: certainty, remove, adjust and average (nstrat/nokstrat = 4/2, 4/3 with a census stratum); fpc counts with N = 1",
          arguments: lonelyCases)
    func lonely(caseName: String) throws {
        try checkBasic(caseName)
    }

    @Test("average scales the variance of the strata with two or more PSUs by 4/2; a census stratum of N = 1 is no lonely PSU")
    func averageRule() throws {
        let remove = try EdgeDesign.make("lonely_remove").design
        let average = try EdgeDesign.make("lonely_average").design
        let t = try Fixtures.read("api/apistrat-lonely.csv")
        let y = Outcome.numeric(FixtureColumns(table: t).numbers("api00"))
        let v0 = try remove.means(y).variance(level: 0, domain: 0), v1 = try average.means(y).variance(level: 0, domain: 0)
        #expect(relativelyClose(v1, 2 * v0, 1e-12))
        // census_fpc: the singleton strata C and M have N = 1, so R's default (fail) accepts the design; both weigh 1.
        let census = try EdgeDesign.make("census_fpc").design
        let strata = FixtureColumns(table: t).strings("stratum")
        #expect(strata.indices.filter { ["C", "M"].contains(strata[$0]) }.allSatisfy { census.weights[$0] == 1 })
        #expect(census.finiteFactor.contains(0))
    }

    @Test("average in domains: every stratum of the design counts (R svyby covmat = TRUE), both paths")
    func averageDomains() throws {
        let (t, design) = try EdgeDesign.make("lonely_average")
        let c = FixtureColumns(table: t)
        let y = Outcome.numeric(c.numbers("api00")), stype = c.grouping("stype")
        for m in [try design.means(y, domains: stype), try design.meansByInfluence(y, domains: stype)] {
            for (d, g) in m.domains.enumerated() {
                expect(m.estimate(level: 0, domain: d), "lonely_average", "svyby_covmat.api00_by_stype.mean", group: g)
                let se = m.standardError(level: 0, domain: d)
                if g == "M" { #expect(se == 0) } else { expect(se, "lonely_average", "svyby_covmat.api00_by_stype.se", group: g) }
            }
        }
    }

    @Test("multi-stage: apiclus2 two-stage svymean api00 = 670.81 (SE 30.099), the one-stage equivalent 29.889")
    func textbook() throws {
        let two = try EdgeDesign.make("apiclus2_twostage")
        let y = Outcome.numeric(FixtureColumns(table: two.table).numbers("api00"))
        let m = try two.design.means(y)
        #expect(String(format: "%.2f", m.estimates[0]) == "670.81")
        #expect(String(format: "%.3f", m.standardError(level: 0, domain: 0)) == "30.099")
        let one = try EdgeDesign.make("apiclus2_onestage")
        #expect(String(format: "%.3f", try one.design.means(y).standardError(level: 0, domain: 0)) == "29.889")
        #expect(two.design.clusterStages == 2 && two.design.degreesOfFreedom == 39)
        #expect(two.design.summary == "2-stage cluster sample (40 clusters, 126 stage-2 units), finite population correction, 39 df")
    }

    @Test("multi-stage: means, totals, proportions against R (weights from the fpcs, fractions, given weights, strata at stage 1)",
          arguments: stageCases)
    func stages(caseName: String) throws {
        try checkBasic(caseName)
    }

    @Test("multi-stage: svyby(~api00, ~stype, svymean, covmat = TRUE), domains with z = 0 outside",
          arguments: ["apiclus2_twostage", "apiclus2_strat_twostage", "apiclus2_onestage"])
    func domains(caseName: String) throws {
        let (t, design) = try EdgeDesign.make(caseName)
        let c = FixtureColumns(table: t)
        let m = try design.means(.numeric(c.numbers("api00")), domains: c.grouping("stype"))
        let q = "svyby_mean.api00_by_stype"
        for (d, g) in m.domains.enumerated() {
            expect(m.estimate(level: 0, domain: d), caseName, "\(q).mean", group: g)
            expect(m.standardError(level: 0, domain: d), caseName, "\(q).se", group: g)
            for (e, h) in m.domains.enumerated() {
                let scale = (m.variance(level: 0, domain: d) * m.variance(level: 0, domain: e)).squareRoot()
                guard let expected = r.value(caseName, "\(q).cov", group: "\(g)|\(h)") else {
                    Issue.record("no covariance \(g)|\(h)")
                    continue
                }
                #expect(covarianceClose(m.covariance((0, d), (0, e)), expected, scale: scale, 1e-9), "\(caseName) cov \(g)|\(h)")
            }
        }
    }

    @Test("multi-stage errors: fpc columns per stage, mixed counts and fractions, a lonely second-stage unit")
    func errors() throws {
        let clusters = [Grouping(labels: ["a", "b"], codes: [0, 0, 1, 1]), Grouping(labels: ["x", "y"], codes: [0, 1, 0, 0])]
        #expect(throws: DesignError.stageCountMismatch(clusterStages: 2, fpcStages: 1)) {
            _ = try SurveyDesign(rowCount: 4, stages: clusters, fpc: [[10, 10, 10, 10]])
        }
        // Counts (some > 1): a value below 1 is refused, a value of exactly 1 (a census of one unit) is not.
        #expect(throws: DesignError.invalidFPC(row: 2, value: 0.5, reason: "some values are population counts (> 1) and this one a fraction (< 1); use one kind")) {
            _ = try SurveyDesign(rowCount: 4, stages: clusters, fpc: [[10, 10, 10, 10], [2, 2, 0.5, 0.5]])
        }
        // Cluster b has one stage-2 unit (y is b's own: labels are nested) out of 3: its variance cannot be estimated.
        let lonely = [Grouping(labels: ["a", "b"], codes: [0, 0, 1, 1]), Grouping(labels: ["x", "y"], codes: [0, 1, 1, 1])]
        let y = Outcome.numeric([1, 2, 3, 5])
        #expect(throws: DesignError.lonelyUnit(stage: 2, cluster: "b")) {
            _ = try SurveyDesign(rowCount: 4, stages: lonely, fpc: [[10, 10, 10, 10], [2, 2, 3, 3]]).means(y)
        }
        // R: each cluster is a stratum of its own at stage 2, so `average` gives 0 · 1/0 = NaN.
        let averaged = try SurveyDesign(rowCount: 4, stages: lonely, fpc: [[10, 10, 10, 10], [2, 2, 3, 3]], lonelyPSU: .average)
        #expect(try averaged.means(y).variance(level: 0, domain: 0).isNaN)
        // With N = 1 the lonely unit is a census and contributes 0.
        let census = try SurveyDesign(rowCount: 4, stages: lonely, fpc: [[10, 10, 10, 10], [2, 2, 1, 1]])
        #expect(try census.means(y).variance(level: 0, domain: 0) > 0)
        // Without an fpc only the first stage counts (R: ultimate clusters).
        let ultimate = try SurveyDesign(rowCount: 4, stages: lonely)
        let first = try SurveyDesign(rowCount: 4, clusters: lonely[0])
        #expect(try ultimate.means(y).variance(level: 0, domain: 0) == first.means(y).variance(level: 0, domain: 0))
    }
}
