import Foundation
import Testing

/// Golden files: Tests/Fixtures/tables/golden/. After a deliberate change, rewrite them with
/// `RECORD_GOLDEN=1 swift test --filter TablesCommandTests` and review the diff.
@Suite("monitor tables")
struct TablesCommandTests {
    let example = CLI.data("examples/ambtsdragers-example.csv")
    let specs = CLI.fixture("tables")

    func golden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = CLI.fixture("tables/golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        // Bytes, not a String: reading would drop the byte-order mark that --excel writes.
        let expected = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Data(actual.utf8) == expected, "\(name) differs from its golden file", sourceLocation: sourceLocation)
    }

    @Test("Markdown, tidy CSV, wide CSV and JSON of the fixture tables match their golden files", arguments: [
        ("ambtsdragers.md", ["--format", "md"]),
        ("ambtsdragers.csv", ["--format", "csv"]),
        ("ambtsdragers-wide.csv", ["--format", "csv", "--wide"]),
        ("ambtsdragers-excel.csv", ["--format", "csv", "--excel"]),
        ("ambtsdragers.json", ["--format", "json"]),
    ])
    func goldenFiles(name: String, arguments: [String]) throws {
        let result = try CLI.run(["tables", example, "--specs", specs, "-q"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        try golden(name, result.stdout)
    }

    @Test("the built-in catalogue on the bundled example of each survey, Markdown and tidy CSV, matches its golden files",
          arguments: ["ambtsdragers", "medewerkers"])
    func catalogue(survey: String) throws {
        let file = CLI.data("examples/\(survey)-example.csv")
        for (format, ext) in [("md", "md"), ("csv", "csv")] {
            let result = try CLI.run(["tables", file, "--survey", survey, "--format", format, "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            try golden("catalogue-\(survey).\(ext)", result.stdout)
        }
    }

    @Test("a table cell is the estimate `monitor estimate` gives on the same weighting (one engine)")
    func sameAsEstimate() throws {
        let tables = try CLI.run(["tables", example, "--specs", specs, "--table", "2.2", "--format", "csv", "-q"])
        let estimate = try CLI.run(["estimate", example, "--survey", "ambtsdragers", "--scheme", "ambtsdragers",
                                    "--var", "slachtoffer", "--by", "bestuurslaag", "-q"])
        let cells = records(tables.stdout).filter { $0["row"] == "slachtoffer" && $0["wave"] == "2024" }
        for row in records(estimate.stdout) {
            let cell = try #require(cells.first { $0["column"] == row["group"] && ($0["block"] == "bestuurslaag" || row["group"] == "") })
            #expect(cell["estimate"] == row["estimate"] && cell["se"] == row["se"] && cell["n"] == row["n"])
        }
    }

    @Test("the example's tables: base n, suppressed groups without numbers, indicatief marks, same bytes twice")
    func layout() throws {
        let args = ["tables", example, "--specs", specs, "-q"]
        let md = try CLI.run(args)
        #expect(md.stdout.contains("Basis: alle politieke ambtsdragers (n=60)"))
        #expect(md.stdout.contains("Basis: slachtoffers (n=25)"))
        #expect(md.stdout.contains("| Aangifte gedaan        |    6%* |       7%* |          – |             – |"))
        #expect(md.stdout.contains("* indicatief: minder dan 50 respondenten."))
        #expect(try CLI.run(args).stdout == md.stdout)
        let csv = try CLI.run(args + ["--format", "csv"])
        let suppressed = records(csv.stdout).filter { $0["flag"] == "suppressed" }
        #expect(!suppressed.isEmpty && suppressed.allSatisfy { $0["estimate"] == "" && $0["se"] == "" })
    }

    @Test("--protection: secondary suppression of the combined group next to a suppressed one, off with 0, checked")
    func protection() throws {
        let example = CLI.data("examples/medewerkers-example.csv")
        let args = ["tables", example, "--table", "F3.3", "-q", "--format", "csv"]
        let secondary = { (out: CLI.Result) in records(out.stdout).filter { $0["flag"] == "secondary" } }
        let protected = try CLI.run(args)
        #expect(protected.status == 0, "\(protected.stderr)")
        let withheld = secondary(protected)
        #expect(withheld.count == 4 && withheld.allSatisfy { $0["column"] == "provincie_waterschap" && $0["estimate"] == "" && $0["n"] == "19" })
        let open = try CLI.run(args + ["--protection", "0"])
        #expect(secondary(open).isEmpty)
        #expect(records(open.stdout).contains { $0["column"] == "provincie_waterschap" && $0["estimate"] != "" })
        let md = try CLI.run(["tables", example, "--table", "F3.3", "-q"])
        #expect(md.stdout.contains("– niet getoond (secundair): zou een niet getoonde kleine groep herleidbaar maken."))
        let bad = try CLI.run(args + ["--protection", "-1"])
        #expect(bad.status == 2 && bad.stderr.contains("--protection"))
    }

    @Test("--list shows the catalogue; --output DIR writes one file per table; the input is never overwritten")
    func listAndOutput() throws {
        let list = try CLI.run(["tables", "--specs", specs, "--list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("| Tabel 2.2 ") && list.stdout.contains("2 tables"))
        let dir = CLI.temporaryDirectory().appendingPathComponent("tabellen/").path + "/"
        let out = try CLI.run(["tables", example, "--specs", specs, "--output", dir, "-q"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["ambtsdragers-T2.2.md", "ambtsdragers-T2.20.md"])
        let overwrite = try CLI.run(["tables", example, "--specs", specs, "--output", example])
        #expect(overwrite.status != 0)
        #expect(overwrite.stderr.contains("refusing to overwrite the input"))
    }

    @Test("the bundled catalogue reads in a terminal: no line of the Markdown tables or of --list over 160 characters")
    func lineLength() throws {
        let tables = try CLI.run(["tables", "-q"])
        let list = try CLI.run(["tables", "--list"])
        #expect(tables.status == 0 && list.status == 0, "\(tables.stderr)\(list.stderr)")
        for (name, text) in [("monitor tables", tables.stdout), ("monitor tables --list", list.stdout)] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let longest = lines.max { $0.count < $1.count } ?? ""
            #expect(longest.count <= 160, "\(name): a line of \(longest.count) characters: \(longest)")
            #expect(lines.count > 100, "\(name) printed the catalogue")
        }
        // The column blocks: a header row of blocks, then the groups' labels; a too wide table continues below.
        #expect(tables.stdout.contains("|                        | Overheid  |            |               | Geslacht |         |"))
        #expect(tables.stdout.contains("|                        | Gemeenten | Provincies | Waterschappen |   Mannen | Vrouwen |"))
        #expect(tables.stdout.contains("| Contact met personen buiten de organisatie |"))
        #expect(list.stdout.contains("### ambtsdragers") && list.stdout.contains("### medewerkers") && list.stdout.contains("### organisaties")
                && list.stdout.hasSuffix("81 tables\n"))
    }

    @Test("--wide --excel keeps the marks: a column after each group's number with ▲ / ▼ / * / –, numbers stay numbers, UTF-8 with BOM")
    func wideExcelMarks() throws {
        let result = try CLI.run(["tables", "--table", "T2.2", "--format", "csv", "--wide", "--excel", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\u{FEFF}Tabel 2.2;"), "a byte-order mark, so Excel reads ▲ ▼ – as UTF-8")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(";Overheid: Gemeenten;;Overheid: Provincies;;Overheid: Waterschappen;;Geslacht: Mannen;") })
        let total = try #require(lines.first { $0.hasPrefix("Totaal;") }).split(separator: ";", omittingEmptySubsequences: false)
        #expect(Array(total.prefix(7)) == ["Totaal", "47", "▲", "47", "", "23", "▼"])
        #expect(stride(from: 1, to: total.count, by: 2).allSatisfy { Double(total[$0].replacingOccurrences(of: ",", with: ".")) != nil })
        // The example file has indicatief and suppressed groups: * and – in the mark column.
        let example = try CLI.run(["tables", example, "--specs", specs, "--table", "2.20", "--format", "csv", "--wide", "--excel", "-q"])
        #expect(example.stdout.contains("Aangifte gedaan;6;*;7;*;;–;;–"), "\(example.stdout)")
    }

    @Test("a specification naming an unknown variable or level is an error naming the file")
    func badSpecification() throws {
        let dir = CLI.temporaryDirectory()
        try """
        id: "9.9"
        survey: ambtsdragers
        family: prevalence
        title: "fout"
        base: {label: "iedereen"}
        rows: [{variable: slachtofer}]
        columns: [total]
        """.write(to: dir.appendingPathComponent("T9.9.yaml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["tables", example, "--specs", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("T9.9.yaml") && result.stderr.contains("slachtofer is not a variable of the ambtsdragers codebook"))
    }
}
