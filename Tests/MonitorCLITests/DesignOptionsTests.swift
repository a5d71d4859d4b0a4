import Foundation
import Testing

/// `--cluster`/`--fpc` per stage and `--lonely-psu average` (R's values: scripts/r/designs.R, designs.csv).
@Suite("monitor estimate: multi-stage clusters, lonely PSUs averaged, census strata")
struct DesignOptionsTests {
    let r: RValues
    let clus2 = CLI.fixture("api/apiclus2.csv")
    let lonely = CLI.fixture("api/apistrat-lonely.csv")

    init() throws { r = try RValues("designs.csv") }

    @Test("--cluster dnum,snum --fpc fpc1,fpc2 prints R's two-stage svymean (SE 30.099) and svyby by stype")
    func twoStage() throws {
        let result = try CLI.run(["estimate", clus2, "--var", "api00", "--cluster", "dnum,snum", "--fpc", "fpc1,fpc2", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let row = records(result.stdout)[0]
        #expect(close(row["estimate"], r("apiclus2_twostage", "svymean.api00.mean")))
        #expect(close(row["se"], r("apiclus2_twostage", "svymean.api00.se")))
        #expect(row["df"] == "39")
        let byType = try CLI.run(["estimate", clus2, "--var", "api00", "--by", "stype", "--cluster", "dnum,snum", "--fpc", "fpc1,fpc2", "-q"])
        #expect(records(byType.stdout).map { $0["group"]! } == ["", "E", "H", "M"])
        for row in records(byType.stdout).dropFirst() {
            let g = row["group"]!
            #expect(close(row["estimate"], r("apiclus2_twostage", "svyby_mean.api00_by_stype.mean", group: g)), "\(g)")
            #expect(close(row["se"], r("apiclus2_twostage", "svyby_mean.api00_by_stype.se", group: g)), "\(g)")
        }
        let md = try CLI.run(["estimate", clus2, "--var", "api00", "--cluster", "dnum, snum", "--fpc", "fpc1, fpc2", "--format", "md", "-q"])
        #expect(md.stdout.contains("svydesign(ids=~dnum+snum, fpc=~fpc1+fpc2): 2-stage cluster sample (40 clusters, 126 stage-2 units)"),
                "\(md.stdout)")
        // Fractions and strata at stage 1.
        let strat = try CLI.run(["estimate", clus2, "--var", "api00", "--strata", "dstrat", "--cluster", "dnum,snum", "--fpc", "fpc1,fpc2", "-q"])
        #expect(close(records(strat.stdout)[0]["se"], r("apiclus2_strat_twostage", "svymean.api00.se")))
        let fractions = try CLI.run(["estimate", clus2, "--var", "api00", "--cluster", "dnum,snum", "--fpc", "frac1,frac2", "-q"])
        #expect(close(records(fractions.stdout)[0]["se"], r("apiclus2_twostage_fractions", "svymean.api00.se")))
    }

    @Test("usage errors: one fpc column per stage, strata at the first stage only")
    func usage() throws {
        let fewer = try CLI.run(["estimate", clus2, "--var", "api00", "--cluster", "dnum,snum", "--fpc", "fpc1", "-q"])
        #expect(fewer.status == 2)
        #expect(fewer.stderr.contains("--fpc has 1 column for 2 sampling stages"))
        let strata = try CLI.run(["estimate", clus2, "--var", "api00", "--strata", "dstrat,stype", "--cluster", "dnum,snum", "-q"])
        #expect(strata.status == 2)
        #expect(strata.stderr.contains("first stage only"))
    }

    @Test("--lonely-psu average (R survey.lonely.psu=\"average\"); fpc counts with a census stratum of N = 1 under the default")
    func lonelyAverage() throws {
        let failed = try CLI.run(["estimate", lonely, "--var", "api00", "--strata", "stratum", "--weight", "pw", "-q"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("only one primary sampling unit"))
        let average = try CLI.run(["estimate", lonely, "--var", "api00", "--strata", "stratum", "--weight", "pw", "--lonely-psu", "average", "-q"])
        #expect(average.status == 0, "\(average.stderr)")
        #expect(close(records(average.stdout)[0]["se"], r("lonely_average", "svymean.api00.se")))
        let census = try CLI.run(["estimate", lonely, "--var", "api00", "--strata", "stratum", "--fpc", "N_census", "-q"])
        #expect(census.status == 0, "\(census.stderr)")
        #expect(close(records(census.stdout)[0]["estimate"], r("census_fpc", "svymean.api00.mean")))
        #expect(close(records(census.stdout)[0]["se"], r("census_fpc", "svymean.api00.se")))
    }
}
