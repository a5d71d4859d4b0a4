import Foundation
import Testing

/// R's values (Tests/MonitorCoreTests/Expectations/*.csv), read with a plain split: the files are unquoted.
struct RValues {
    private var values: [String: Double] = [:]

    init(_ file: String) throws {
        let text = try String(contentsOf: CLI.testsRoot.appendingPathComponent("MonitorCoreTests/Expectations/\(file)"), encoding: .utf8)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            values[f[0...3].joined(separator: ",")] = Double(f[4])
        }
    }

    func callAsFunction(_ caseName: String, _ quantity: String, level: String = "", group: String = "") -> Double? {
        values[[caseName, quantity, level, group].joined(separator: ",")]
    }
}

/// CSV output of the CLI as dictionaries by column name (no quoted fields in these outputs).
func records(_ csv: String) -> [[String: String]] {
    let lines = csv.split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().map { line in
        Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
}

func close(_ text: String?, _ expected: Double?, _ tolerance: Double = 1e-9) -> Bool {
    guard let text, let actual = Double(text), let expected else { return false }
    return abs(actual - expected) <= tolerance * max(abs(expected), 1e-300)
}

@Suite("monitor estimate and monitor test")
struct EstimateCommandTests {
    let r: RValues
    let fixture = CLI.fixture("monitor/fixture.csv")

    init() throws { r = try RValues("estimation.csv") }

    @Test("estimate: the issue's columns, one row per group, R's svyciprop(xlogit) per bestuurslaag to 1e-9, for three designs",
          arguments: [("monitor_w0", ["--weight", "w0"]),
                      ("monitor_clus_strat", ["--weight", "w0", "--strata", "cel", "--cluster", "gemeente_code"]),
                      ("monitor_poststrat_w0", ["--weight", "w0", "--cell", "cel", "--frame", CLI.fixture("monitor/frame.csv")])])
    func estimateMatchesR(caseName: String, design: [String]) throws {
        let result = try CLI.run(["estimate", fixture, "--var", "bedreiging", "--by", "bestuurslaag", "-q"] + design)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("variable,level,group,n,n_eff,estimate,se,ci_low,ci_high,df,flag,level_label,group_label\n"))
        let rows = records(result.stdout)
        #expect(rows.map { $0["group"]! } == ["", "gemeente", "provincie", "waterschap"])
        #expect(rows.map { $0["n"]! } == ["393", "294", "50", "49"])
        #expect(rows.map { $0["flag"]! } == ["", "", "", "indicatief"])
        for row in rows {
            let g = row["group"]!
            #expect(close(row["estimate"], r(caseName, "svyciprop_xlogit.bedreiging.estimate", group: g)))
            #expect(close(row["se"], r(caseName, "svyciprop_xlogit.bedreiging.se", group: g)))
            #expect(close(row["ci_low"], r(caseName, "svyciprop_xlogit.bedreiging.lower", group: g)))
            #expect(close(row["ci_high"], r(caseName, "svyciprop_xlogit.bedreiging.upper", group: g)))
        }
    }

    @Test("estimate: a categorical variable gives one row per level; missing values are outside the domain")
    func categorical() throws {
        let result = try CLI.run(["estimate", fixture, "--var", "aangifte", "--weight", "w0", "-q"])
        #expect(result.status == 0)
        let rows = records(result.stdout)
        #expect(rows.map { $0["level"]! } == ["geen", "organisatie", "weet_niet", "zelf"])
        for row in rows {
            #expect(row["n"] == "281")
            #expect(close(row["estimate"], r("monitor_w0", "svymean.aangifte_slachtoffer.mean", level: row["level"]!)))
            #expect(close(row["se"], r("monitor_w0", "svymean.aangifte_slachtoffer.se", level: row["level"]!)))
        }
        let excluded = try CLI.run(["estimate", fixture, "--var", "aangifte", "--weight", "w0", "--missing", "weet_niet", "-q"])
        #expect(records(excluded.stdout).map { $0["level"]! } == ["geen", "organisatie", "zelf"])
        #expect(records(excluded.stdout).allSatisfy { Int($0["n"]!)! < 281 })
    }

    @Test("estimate: json and md formats carry the same numbers; same input gives the same bytes")
    func formats() throws {
        let args = ["estimate", fixture, "--var", "verbale_agressie", "--by", "geslacht", "--weight", "w0", "-q"]
        let json = try CLI.run(args + ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let estimates = object["estimates"] as! [[String: Any]]
        #expect(estimates.count == 3)
        #expect(abs((estimates[0]["estimate"] as! Double) - r("monitor_w0", "svymean.verbale_agressie.mean")!) < 1e-12)
        let md = try CLI.run(args + ["--format", "md"])
        #expect(md.stdout.contains("| verbale_agressie |"))
        #expect(md.stdout.contains("(all)"))
        #expect(try CLI.run(args).stdout == CLI.run(args).stdout)
    }

    @Test("test --test wald: group versus rest and pairwise t tests equal R's svyttest; Rao-Scott F equals svychisq")
    func testMatchesR() throws {
        let result = try CLI.run(["test", fixture, "--var", "verbale_agressie", "--by", "bestuurslaag", "--weight", "w0",
                                  "--strata", "cel", "--cluster", "gemeente_code", "--test", "wald", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = records(result.stdout)
        let c = "monitor_clus_strat"
        let rest = try #require(rows.first { $0["test"] == "group_vs_rest" && $0["group"] == "gemeente" })
        #expect(close(rest["statistic"], r(c, "svyttest.verbale_agressie_gemeente_vs_rest.t")))
        #expect(close(rest["df"], r(c, "svyttest.verbale_agressie_gemeente_vs_rest.df")))
        #expect(close(rest["p_value"], r(c, "svyttest.verbale_agressie_gemeente_vs_rest.p_value")))
        let pair = try #require(rows.first { $0["test"] == "pairwise" && $0["group"] == "gemeente" && $0["other"] == "provincie" })
        #expect(close(pair["p_value"], r(c, "svyttest.verbale_agressie_gemeente_vs_provincie.p_value")))
        #expect(pair["p_adjusted"].flatMap(Double.init) == min(1, 3 * Double(pair["p_value"]!)!))
        #expect(rest["method"] == "wald_t")
        let f = try #require(rows.first { $0["test"] == "rao_scott" && $0["method"] == "F" })
        #expect(close(f["statistic"], r(c, "svychisq_F.verbale_agressie_x_bestuurslaag.statistic")))
        #expect(close(f["p_value"], r(c, "svychisq_F.verbale_agressie_x_bestuurslaag.p_value")))
        #expect(Set(rows.map { $0["verdict"]! }).isSubset(of: ["higher", "lower", "not_significant", "not_tested", "dependent"]))
    }

    @Test("test --test spss: column proportions z tests equal R's prop.test, Bonferroni over the pairs")
    func spss() throws {
        let spss = try RValues("column-proportions.csv")
        let result = try CLI.run(["test", fixture, "--var", "bedreiging", "--by", "bestuurslaag", "--test", "spss", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = records(result.stdout)
        #expect(rows.count == 3)
        for row in rows {
            let pair = "\(row["group"]!)|\(row["other"]!)"
            #expect(row["test"] == "column_proportions")
            #expect(close(row["statistic"], spss("spss_unweighted", "colprop.bedreiging.z", group: pair)))
            #expect(close(row["p_adjusted"], spss("spss_unweighted", "colprop.bedreiging.p_bonferroni", group: pair)))
        }
    }

    @Test("test --previous: change against a published percentage and n")
    func previousWave() throws {
        let trend = try RValues("column-proportions.csv")
        let result = try CLI.run(["test", fixture, "--var", "bedreiging", "--weight", "w0", "--cell", "cel",
                                  "--frame", CLI.fixture("monitor/frame.csv"), "--previous", "0.21,3033,2022", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let row = try #require(records(result.stdout).first)
        #expect(row["test"] == "trend" && row["other"] == "2022" && row["other_n"] == "3033")
        #expect(close(row["statistic"], trend("trend_published", "trend.bedreiging.z")))
        #expect(close(row["p_value"], trend("trend_published", "trend.bedreiging.p_value")))
    }

    @Test("bad design input: file, line, column and value, exit 1; usage errors exit 2")
    func errors() throws {
        let weights = try CLI.run(["estimate", fixture, "--var", "ernst", "--weight", "geslacht"])
        #expect(weights.status == 1)
        #expect(weights.stderr.contains("line 2, column 6 \"geslacht\", value \"man\": weights must be a positive number"))
        #expect(weights.stderr.contains("and 380 more"))
        let nested = try CLI.run(["estimate", fixture, "--var", "ernst", "--strata", "cel", "--cluster", "bestuurslaag"])
        #expect(nested.status == 1)
        #expect(nested.stderr.contains("clusters must be nested in strata"))
        let missing = try CLI.run(["estimate", fixture, "--var", "ernsst"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("ernsst"))
        let usage = try CLI.run(["estimate", fixture, "--var", "ernst", "--cell", "cel"])
        #expect(usage.status == 2)
        let noGroups = try CLI.run(["test", fixture, "--var", "ernst"])
        #expect(noGroups.status == 2)
    }
}
