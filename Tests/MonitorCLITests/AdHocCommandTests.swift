import Foundation
import Testing

/// Issue 21: ad hoc analysis through the one pipeline: the survey's weights by default, canonical names after
/// --map, --filter, value labels, and tables from flags.
@Suite("ad hoc analysis")
struct AdHocCommandTests {
    let bundled = CLI.data("monitor-2024-ambtsdragers.csv")
    let export = CLI.data("examples/ambtsdragers-spss-export.csv")
    let map = CLI.data("maps/example-spss-export.yaml")
    let frame = CLI.data("frames/ambtsdragers-2024-uitgenodigd.csv")

    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Two printed estimates agree to 1e-12 (or are both empty: suppressed).
    func same(_ a: String?, _ b: String?) -> Bool {
        a == b || (a.flatMap(Double.init) != nil && close(a, b.flatMap(Double.init), 1e-12))
    }

    /// Tidy CSV records of the 2024 cells (the tables' CSV quotes no field of these tables).
    func cells(_ csv: String) -> [[String: String]] { records(csv).filter { $0["wave"] == "2024" } }

    @Test("estimate and test weigh a survey's file by its scheme by default: the tables figure to 1e-12; --unweighted opts out")
    func defaultWeighting() throws {
        let estimate = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "leeftijdsgroep"])
        #expect(estimate.stderr.contains("weighted by the ambtsdragers survey's scheme"))
        #expect(estimate.stderr.contains("scheme ambtsdragers (the survey's default) over svydesign(ids=~1)"))
        let table = try run(["tables", bundled, "--rows", "slachtoffer", "--by", "leeftijdsgroep", "--format", "csv", "-q"])
        let tableCells = cells(table.stdout)
        let rows = records(estimate.stdout)
        #expect(rows.count == 4)
        for row in rows {
            let cell = try #require(tableCells.first { $0["column"] == row["group"] })
            #expect(close(row["estimate"], Double(cell["estimate"]!), 1e-12) && close(row["se"], Double(cell["se"]!), 1e-12))
            #expect(row["n"] == cell["n"])
        }
        let young = try #require(rows.first { $0["group"] == "leeftijd_18_39" })
        #expect(young["estimate"]!.hasPrefix("0.5013"))
        #expect(young["group_label"] == "18-39 jaar")

        // The same as the scheme named, or its post-stratification declared by flags.
        let named = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "leeftijdsgroep", "--scheme", "ambtsdragers", "-q"])
        let declared = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "leeftijdsgroep", "--cell", "bestuurslaag,functie",
                                "--frame", frame, "-q"])
        #expect(records(named.stdout).map { $0["estimate"] } == rows.map { $0["estimate"] })
        for (a, b) in zip(records(declared.stdout), rows) { #expect(same(a["estimate"], b["estimate"])) }

        let unweighted = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "leeftijdsgroep", "--unweighted"])
        #expect(unweighted.stderr.contains("svydesign(ids=~1): 1082 independent units") && !unweighted.stderr.contains("scheme"))
        #expect(records(unweighted.stdout).first { $0["group"] == "leeftijd_18_39" }?["estimate"]?.hasPrefix("0.4921") == true)

        // test: the same default design, the Rao-Scott verdicts of the tables' marks.
        let test = try run(["test", bundled, "--var", "slachtoffer", "--by", "leeftijdsgroep", "-q"])
        for row in records(test.stdout) where row["test"] == "group_vs_rest" {
            let cell = try #require(tableCells.first { $0["column"] == row["group"] })
            #expect(close(row["p_value"], Double(cell["p_value"]!), 1e-9), "\(row["group"]!)")
        }
        // A file the codebook does not recognise stays unweighted unless a design is declared.
        let fixture = try run(["estimate", CLI.fixture("monitor/fixture.csv"), "--var", "bedreiging"])
        #expect(fixture.stderr.contains("design svydesign(ids=~1): 400 independent units"))
    }

    @Test("a mapped export: every option takes the canonical name (--var, --by, --filter, --cell, --strata), the survey from the map")
    func mappedExport() throws {
        let base = ["estimate", export, "--map", map, "--var", "slachtoffer", "--by", "geslacht"]
        let byDefault = try run(base)
        #expect(byDefault.stderr.contains("the survey from the mapping file"))
        let declared = try run(base + ["--cell", "bestuurslaag,functie", "--frame", frame, "-q"])
        for (a, b) in zip(records(declared.stdout), records(byDefault.stdout)) { #expect(same(a["estimate"], b["estimate"])) }
        #expect(records(byDefault.stdout).contains { $0["group"] == "man" && $0["group_label"] == "Mannen" })
        let stratified = try run(base + ["--strata", "bestuurslaag", "-q"])
        #expect(records(stratified.stdout).count == records(byDefault.stdout).count)
        let filtered = try run(base + ["--filter", "bestuurslaag=gemeente", "-q"])
        #expect(Int(records(filtered.stdout)[0]["n"]!)! < Int(records(byDefault.stdout)[0]["n"]!)!)
        let test = try run(["test", export, "--map", map, "--var", "slachtoffer", "--by", "bestuurslaag", "--filter", "functie!=burgemeester", "-q"])
        #expect(records(test.stdout).contains { $0["group"] == "gemeente" && $0["group_label"] != "" })
        // tables and report infer the survey from the map as well, and take canonical names.
        let table = try run(["tables", export, "--map", map, "--rows", "slachtoffer", "--by", "bestuurslaag", "--format", "csv", "-q"])
        let total = try #require(cells(table.stdout).first { $0["column"] == "" })
        #expect(close(total["estimate"], Double(records(byDefault.stdout)[0]["estimate"]!), 1e-12))
        let catalogue = try run(["tables", export, "--map", map, "--table", "2.3", "-q"])
        #expect(catalogue.stdout.contains("Tabel 2.3"))
        let unknown = try CLI.run(["estimate", export, "--map", map, "--var", "slachtoffer", "--by", "BESTLAAG2"])
        #expect(unknown.status == 1 && unknown.stderr.contains("neither a column of the file nor a variable of the ambtsdragers codebook"))
    }

    @Test("--filter: a domain of the full design; VAR!=CODE is the valid codes but CODE; estimate equals the filtered table")
    func filters() throws {
        let gemeenten = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "geslacht", "--filter", "bestuurslaag=gemeente", "-q"])
        let others = try run(["estimate", bundled, "--var", "slachtoffer", "--by", "geslacht", "--filter", "bestuurslaag!=provincie,waterschap", "-q"])
        #expect(gemeenten.stdout == others.stdout)
        let table = try run(["tables", bundled, "--rows", "slachtoffer", "--by", "geslacht", "--filter", "bestuurslaag=gemeente", "--format", "csv", "-q"])
        let tableCells = cells(table.stdout)
        for row in records(gemeenten.stdout) {
            let cell = try #require(tableCells.first { $0["column"] == row["group"] })
            #expect(close(row["estimate"], Double(cell["estimate"]!), 1e-12) && row["n"] == cell["n"])
        }
        // Two filters are ANDed.
        let both = try run(["estimate", bundled, "--var", "slachtoffer", "--filter", "bestuurslaag=gemeente", "--filter", "functie=raadslid", "-q"])
        let raadsleden = try run(["estimate", bundled, "--var", "slachtoffer", "--filter", "functie=raadslid", "-q"])
        #expect(both.stdout == raadsleden.stdout)
        // The catalogue's tables take --filter too (the base narrowed and named).
        let catalogue = try run(["tables", bundled, "--table", "2.2", "--filter", "geslacht=vrouw", "-q"])
        #expect(catalogue.stdout.contains("(selectie: geslacht=vrouw)"))
        let bad = try CLI.run(["estimate", bundled, "--var", "slachtoffer", "--filter", "bestuurslaag=gemeentes"])
        #expect(bad.status == 2 && bad.stderr.contains("has no code \"gemeentes\""))
        let malformed = try CLI.run(["estimate", bundled, "--var", "slachtoffer", "--filter", "bestuurslaag"])
        #expect(malformed.status == 2)
    }

    @Test("a table from flags is byte for byte the table written as a YAML specification, in every format and in the report")
    func flagsEqualYAML() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adhoc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
        id: "adhoc"
        survey: ambtsdragers
        family: context
        title: "Slachtoffer van agressie of intimidatie (afgelopen 12 maanden), Ernst meest recente incident, Aantal keren agressie of intimidatie in de afgelopen 12 maanden (alle vormen samen) naar Geslacht, Leeftijd"
        base:
          label: "politieke ambtsdragers (selectie: bestuurslaag=gemeente)"
          filter:
            bestuurslaag: [gemeente]
        rows:
          - variable: slachtoffer
          - variable: ernst_categorie
          - variable: aantal_incidenten
            statistic: mean
        columns:
          - total
          - by: geslacht
          - by: leeftijdsgroep

        """
        try yaml.write(to: folder.appendingPathComponent("adhoc.yaml"), atomically: true, encoding: .utf8)
        let flags = ["--rows", "slachtoffer,ernst_categorie", "--mean", "aantal_incidenten", "--by", "geslacht", "--by", "leeftijdsgroep",
                     "--filter", "bestuurslaag=gemeente"]
        for format in [["--format", "md"], ["--format", "csv"], ["--format", "csv", "--wide"], ["--format", "json"]] {
            let fromFlags = try run(["tables", bundled, "-q"] + flags + format)
            let fromYAML = try run(["tables", bundled, "-q", "--specs", folder.path] + format)
            #expect(fromFlags.stdout == fromYAML.stdout, "\(format)")
            #expect(!fromFlags.stdout.isEmpty)
        }
        let xlsxFlags = folder.appendingPathComponent("flags.xlsx").path, xlsxYAML = folder.appendingPathComponent("yaml.xlsx").path
        _ = try run(["tables", bundled, "-q", "--format", "xlsx", "-o", xlsxFlags] + flags)
        _ = try run(["tables", bundled, "-q", "--format", "xlsx", "-o", xlsxYAML, "--specs", folder.path])
        #expect(try Data(contentsOf: URL(fileURLWithPath: xlsxFlags)) == Data(contentsOf: URL(fileURLWithPath: xlsxYAML)))
        let htmlFlags = try run(["report", bundled, "-q"] + flags)
        let htmlYAML = try run(["report", bundled, "-q", "--specs", folder.path])
        #expect(htmlFlags.stdout == htmlYAML.stdout && htmlFlags.stdout.contains("<svg"))
        // Without FILE, --survey names the bundled file.
        let bundledByName = try run(["tables", "--survey", "ambtsdragers", "-q"] + flags + ["--format", "csv"])
        #expect(bundledByName.stdout == (try run(["tables", bundled, "-q"] + flags + ["--format", "csv"])).stdout)
        let noRows = try CLI.run(["tables", bundled, "--by", "geslacht"])
        #expect(noRows.status == 2)
    }
}
