import Foundation
import Testing

/// `monitor reproduce` is the CI gate for the 2024 report: every published 2024 figure is
/// recomputed from the bundled (synthetic) respondent files, and docs/reproduction.md is its committed output.
@Suite("reproduce command")
struct ReproduceCommandTests {
    @Test("the bundled files reproduce the 2024 report, and docs/reproduction.md is the current output")
    func reproducesTheReport() throws {
        let result = try CLI.run(["reproduce", "--format", "md", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("reproduced "))
        let summary = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("reproduced ") })
        // "reproduced N of M figures": M is every 2024 figure the report prints (all surveys and families).
        let parts = summary.split(separator: " ")
        let n = try #require(Int(parts[1])), m = try #require(Int(parts[3]))
        #expect(m == 1273)
        #expect(n >= 709, "\(summary)")  // a ratchet: raise it as the calibration improves (data/published/not-reached.csv)
        #expect(!result.stdout.contains("| differs"), "no figure differs without documentation")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // Figures no table computes yet: a ratchet that falls as the catalogue grows (issue 24).
        let counts = try #require(lines.first { $0.contains("differ,") && $0.hasSuffix(" not computed by any table") })
        let notComputed = try #require(Int(counts.split(separator: " ").dropLast(5).last ?? ""))
        #expect(notComputed <= 420, "\(counts)")
        #expect(lines.contains { $0.hasPrefix("  by part of the report (reproduced / checked): summary ") })
        // Every explicit statement is checked and holds, except the one the report's own counts contradict
        // (SIG-E-002, docs/errata.md #14a).
        let explicit = try #require(lines.first { $0.hasPrefix("significance statements, explicit (SIG-E):") })
        #expect(explicit.hasSuffix(": 26 held, 0 not held, 1 not checked, of 27"), "\(explicit)")
        #expect(lines.contains { $0.hasPrefix("| SIG-E-002 ") && $0.contains("not_checked: documented as irreconcilable") })
        let committed = try String(contentsOfFile: CLI.repositoryRoot.appendingPathComponent("docs/reproduction.md").path, encoding: .utf8)
        #expect(committed == result.stdout, "docs/reproduction.md is stale: run `swift run monitor reproduce --format md -o docs/reproduction.md`")
    }

    @Test("a figure that differs fails with exit status 1 and is listed")
    func differsFails() throws {
        let dir = CLI.temporaryDirectory()
        let path = dir.appendingPathComponent("other.csv").path
        // The 60-respondent example is not calibrated: most figures differ.
        try FileManager.default.copyItem(atPath: CLI.data("examples/medewerkers-example.csv"), toPath: path)
        let result = try CLI.run(["reproduce", "--survey", "medewerkers", "--medewerkers", path, "--failures-only", "--format", "csv"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(",differs,"))
        #expect(result.stderr.contains("not reproduced and not documented as irreconcilable"))
    }

    @Test("synth writes the same file for the same seed, in the canonical codebook")
    func synthIsDeterministic() throws {
        let dir = CLI.temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv").path, b = dir.appendingPathComponent("b.csv").path
        for path in [a, b] {
            let r = try CLI.run(["synth", "--survey", "medewerkers", "--seed", "9", "--iterations", "20000", "-o", path, "-q"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let x = try Data(contentsOf: URL(fileURLWithPath: a)), y = try Data(contentsOf: URL(fileURLWithPath: b))
        #expect(x == y)
        let text = String(decoding: x, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 695)
        let described = try CLI.run(["describe", a, "--survey", "medewerkers"])
        #expect(described.status == 0, "\(described.stderr)")
    }

    @Test("synth refuses an unknown survey")
    func synthUsage() throws {
        let r = try CLI.run(["synth", "--survey", "gemeenteraad", "-o", "/dev/null"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("ambtsdragers, medewerkers or organisaties"))
    }

    @Test("the bundled organisaties file reproduces chapter 4 and its response (Tabel 1.5), unweighted")
    func organisaties() throws {
        let result = try CLI.run(["reproduce", "--survey", "organisaties", "--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable { struct Figure: Decodable { var id: String; var survey: String; var status: String }; var figures: [Figure] }
        let figures = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).figures
        #expect(figures.count == 66 && figures.allSatisfy { $0.survey == "organisaties" })
        let status = Dictionary(grouping: figures, by: \.status)
        // Every figure is reproduced but Tabel 1.6's six interview counts, which are no survey data (cells.csv).
        #expect(status["reproduced"]?.count == 60, "\(status.mapValues(\.count))")
        #expect(status["not_computed"]?.count == 6 && status["not_computed"]!.allSatisfy { $0.id.hasPrefix("T1.6|") })
        // The file is the report's response: 101 + 4 + 12 organisations of 375 approached.
        let tables = try CLI.run(["tables", "--survey", "organisaties", "--table", "T1.5", "--quiet"])
        #expect(tables.status == 0, "\(tables.stderr)")
        #expect(tables.stdout.contains("| Benaderd          |    375 |          342 |         12 |            21 |"), "\(tables.stdout)")
        #expect(tables.stdout.contains("| Deelgenomen       |    117 |          101 |          4 |            12 |"))
        #expect(tables.stdout.contains("| Responspercentage |    31% |"))
    }
}
