import Foundation
import Testing

/// Statistics at the edges through the binary: the test behind the marks, R's Rao-Scott output, interval notes.
@Suite("Edges through the CLI")
struct EdgeCommandTests {
    static let edges = CLI.testsRoot.appendingPathComponent("Fixtures/edges/edges.csv").path

    /// R's value from Tests/MonitorCoreTests/Expectations/edges.csv (scripts/r/edges.R).
    static func r(_ caseName: String, _ quantity: String) throws -> Double {
        let text = try String(contentsOfFile: CLI.testsRoot.appendingPathComponent("MonitorCoreTests/Expectations/edges.csv").path, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[0] == caseName && f[1] == quantity { return Double(f[4])! }
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    static func rows(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    static func close(_ a: String?, _ b: Double) -> Bool {
        guard let a, let x = Double(a) else { return false }
        return abs(x - b) <= 1e-8 * max(abs(b), 1e-300)
    }

    @Test("monitor test: a 0% group against the rest is the Rao-Scott F of R svychisq; --test wald keeps the old t")
    func groupAgainstRest() throws {
        let result = try CLI.run(["test", Self.edges, "--var", "b01", "--by", "g", "--weight", "w0", "--format", "csv", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = Self.rows(result.stdout)
        let klein = try #require(rows.first { $0["test"] == "group_vs_rest" && $0["group"] == "klein" })
        #expect(klein["method"] == "rao_scott_F")
        #expect(Self.close(klein["statistic"], try Self.r("w", "svychisq_F.b01_klein_vs_rest.statistic")))
        #expect(Self.close(klein["p_value"], try Self.r("w", "svychisq_F.b01_klein_vs_rest.p_value")))
        #expect(klein["verdict"] == "lower")
        let wald = try CLI.run(["test", Self.edges, "--var", "b01", "--by", "g", "--weight", "w0", "--format", "csv", "--test", "wald", "-q"])
        let kleinWald = try #require(Self.rows(wald.stdout).first { $0["test"] == "group_vs_rest" && $0["group"] == "klein" })
        #expect(kleinWald["method"] == "wald_t")
        #expect(Double(kleinWald["p_value"] ?? "") ?? 1 < 1e-6)
    }

    @Test("monitor test: the whole table's Rao-Scott as R prints it (F with ndf, ddf; the unadjusted X-squared with the adjusted p)")
    func raoScottAsR() throws {
        let result = try CLI.run(["test", Self.edges, "--var", "b01", "--by", "g", "--weight", "w0", "--format", "csv", "-q"])
        let rows = Self.rows(result.stdout).filter { $0["test"] == "rao_scott" }
        let f = try #require(rows.first { $0["method"] == "F" })
        #expect(Self.close(f["statistic"], try Self.r("w", "svychisq_F.b01_x_g.statistic")))
        #expect(Self.close(f["p_value"], try Self.r("w", "svychisq_F.b01_x_g.p_value")))
        let chisq = try #require(rows.first { $0["method"] == "X-squared" })
        #expect(Self.close(chisq["statistic"], try Self.r("w", "svychisq_Chisq.b01_x_g.statistic")))
        #expect(Self.close(chisq["p_value"], try Self.r("w", "svychisq_Chisq.b01_x_g.p_value")))
        #expect(rows.contains { $0["method"] == "X-squared_adjusted" })
        let md = try CLI.run(["test", Self.edges, "--var", "b01", "--by", "g", "--weight", "w0", "--format", "md", "-q"])
        #expect(md.stdout.contains("X-squared = ") && md.stdout.contains("statistic = \"Chisq\""))
    }

    @Test("monitor estimate: a note on stderr where an interval falls back to Clopper-Pearson; a one-respondent group has SE 0")
    func intervalNote() throws {
        let result = try CLI.run(["estimate", Self.edges, "--var", "b01", "--by", "g", "--weight", "w0"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("Clopper-Pearson on Kish's n_eff instead for: klein"))
        let solo = try CLI.run(["estimate", Self.edges, "--var", "y_1e8", "--by", "solo", "--weight", "w0", "--min-n", "1",
                                "--indicative-n", "1", "-q"])
        let row = try #require(Self.rows(solo.stdout).first { $0["group"] == "solo" })
        #expect(row["se"] == "0")
    }

    @Test("monitor tables: the legend names the test; --test wald brings back the t test's marks at 0% groups")
    func tablesLegend() throws {
        let raoScott = try CLI.run(["tables", "--table", "T5.1", "-q"])
        #expect(raoScott.status == 0, "\(raoScott.stderr)")
        #expect(raoScott.stdout.contains("Rao-Scott F-toets van groep × antwoord"))
        let wald = try CLI.run(["tables", "--table", "T5.1", "--test", "wald", "-q"])
        #expect(wald.stdout.contains("(design-based t-toets, p < 0,05)"))
        // Tabel 5.1, fysieke agressie, met migratieachtergrond: 0% of 69. The t test marks it, the table test does not.
        // The table is printed in two parts (its column blocks are wider than a line): the row in both.
        let fysiek = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("| Fysieke agressie") }.joined(separator: "\n") }
        #expect(fysiek(wald.stdout).contains("0% ▼"))
        #expect(!fysiek(raoScott.stdout).contains("▼"))
    }
}
