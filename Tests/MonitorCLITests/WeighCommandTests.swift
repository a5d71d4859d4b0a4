import Foundation
import Testing

/// `monitor weigh` through the built binary.
@Suite("monitor weigh")
struct WeighCommandTests {
    /// The R expectations for the Monitor fixture (scripts/r/expectations.R).
    static func rWeights(_ caseName: String) throws -> [String: Double] {
        let text = try String(contentsOfFile: CLI.testsRoot.appendingPathComponent("MonitorCoreTests/Expectations/weighting.csv").path, encoding: .utf8)
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[0] == caseName && f[1] == "weight" { out[f[2]] = Double(f[4]) }
        }
        return out
    }

    /// (id, weight) from a weighted CSV whose first column is the id and last the weight.
    static func weights(_ csv: String, delimiter: Character = ",") -> [String: Double] {
        var out: [String: Double] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: delimiter, omittingEmptySubsequences: false)
            out[String(f.first!)] = Double(f.last!.replacingOccurrences(of: ",", with: "."))
        }
        return out
    }

    @Test("ad hoc post-stratification from base weights gives R's postStratify weights (1e-9)")
    func adHocPostStratify() throws {
        let result = try CLI.run(["weigh", CLI.fixture("monitor/fixture.csv"), "--cell", "cel", "--frame", CLI.fixture("monitor/frame.csv"),
                                  "--base-weight", "w0", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let ours = Self.weights(result.stdout), r = try Self.rWeights("monitor_poststrat_w0")
        #expect(ours.count == 400 && r.count == 400)
        for (id, w) in r { #expect(abs(ours[id]! - w) <= 1e-9 * w, "\(id)") }
    }

    @Test("ad hoc raking on two margins gives R's converged rake weights (1e-6)")
    func adHocRake() throws {
        let result = try CLI.run(["weigh", CLI.fixture("monitor/fixture.csv"), "--margin", CLI.fixture("monitor/margin_bestuurslaag.csv"),
                                  "--margin", CLI.fixture("monitor/margin_geslacht.csv"), "--base-weight", "w0", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let ours = Self.weights(result.stdout), r = try Self.rWeights("monitor_rake")
        for (id, w) in r { #expect(abs(ours[id]! - w) <= 1e-6 * w, "\(id)") }
    }

    @Test("rows pass through byte for byte: BOM, CRLF, quoted line breaks, blank line, last line without line end")
    func passThrough() throws {
        let input = CLI.fixture("input/weigh-quirks.csv")
        let result = try CLI.run(["weigh", input, "--cell", "cel", "--frame", CLI.fixture("input/weigh-frame.csv"), "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = "\u{FEFF}id;cel;opmerking;weight\r\n1;a;\"twee\r\nregels\";30\r\n\r\n2;b;x;20\r\n3;a;\"zei \"\"ja\"\"\";30\r\n4;b;;20"
        #expect(result.stdout == expected)
    }

    @Test("the bundled ambtsdragers example: scheme inferred, report with the five cells, same bytes twice")
    func bundledScheme() throws {
        let dir = CLI.temporaryDirectory()
        let out = dir.appendingPathComponent("gewogen.csv").path, report = dir.appendingPathComponent("weging.md").path
        let input = CLI.data("examples/ambtsdragers-example.csv")
        let result = try CLI.run(["weigh", input, "--output", out, "--report", report])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("60 rows read, 60 weighted, 0 rejected; scheme ambtsdragers"))
        let text = try String(contentsOfFile: report, encoding: .utf8)
        for cell in ["gemeente\\|burgemeester", "gemeente\\|wethouder", "gemeente\\|raadslid", "provincie\\|*", "waterschap\\|*"] {
            #expect(text.contains("| \(cell) "), "\(cell)")
        }
        #expect(text.contains("Kish design effect"))
        // The input's bytes are all there, in order, with one more column.
        let original = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n")
        let weighted = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(original.count == weighted.count)
        for (a, b) in zip(original, weighted) { #expect(b.hasPrefix(a + ",")) }
        let again = try CLI.run(["weigh", input, "-q"])
        #expect(again.stdout == (try String(contentsOfFile: out, encoding: .utf8)))
    }

    @Test("the bundled ambtsdragers scheme on a file with Tabel 1.2's respondents: five cells, w = N_h / n_h")
    func tabel12() throws {
        // Tabel 1.2: 78 burgemeesters, 256 wethouders, 453 raadsleden; provincie 6 + 15 + 112; waterschap 8 + 31 + 123.
        let counts: [(String, String, Int)] = [("gemeente", "burgemeester", 78), ("gemeente", "wethouder", 256), ("gemeente", "raadslid", 453),
                                               ("provincie", "cdk", 6), ("provincie", "gedeputeerde", 15), ("provincie", "statenlid", 112),
                                               ("waterschap", "dijkgraaf", 8), ("waterschap", "lid_db", 31), ("waterschap", "lid_ab", 123)]
        var csv = "respondent_id,bestuurslaag,functie\n"
        var id = 0
        for (laag, functie, n) in counts { for _ in 0..<n { id += 1; csv += "A\(id),\(laag),\(functie)\n" } }
        let dir = CLI.temporaryDirectory()
        let input = dir.appendingPathComponent("tabel12.csv").path, report = dir.appendingPathComponent("weging.md").path
        try csv.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try CLI.run(["weigh", input, "--scheme", "ambtsdragers", "--report", report, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        for row in ["| gemeente\\|burgemeester |       342 |              78 |        4.3846 |",
                    "| gemeente\\|wethouder    |      1397 |             256 |        5.4570 |",
                    "| gemeente\\|raadslid     |      3214 |             453 |        7.0949 |",
                    "| provincie\\|*           |       645 |             133 |        4.8496 |",
                    "| waterschap\\|*          |       614 |             162 |        3.7901 |"] {
            #expect(text.contains(row), "\(row)\n\(text)")
        }
        #expect(text.contains("Rows: 1,082 read, 1,082 weighted, 0 rejected."))
    }

    @Test("standard input works (it is buffered for the second pass)")
    func standardInput() throws {
        let result = try CLI.run(["weigh", "-", "--cell", "cel", "--frame", CLI.fixture("input/weigh-frame.csv"), "-q"],
                                 stdin: Data("id,cel\n1,a\n2,b\n3,a\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "id,cel,weight\n1,a,30\n2,b,40\n3,a,30\n")
    }

    @Test("`--output -` is standard output, as `-` is standard input: no file named - (synth, which renames a file into place, refuses it)")
    func dashIsStandardOutput() throws {
        let dir = CLI.temporaryDirectory()
        let result = try CLI.run(["weigh", "-", "--cell", "cel", "--frame", CLI.fixture("input/weigh-frame.csv"), "-q", "--output", "-"],
                                 stdin: Data("id,cel\n1,a\n2,b\n3,a\n".utf8), in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "id,cel,weight\n1,a,30\n2,b,40\n3,a,30\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
        let tables = try CLI.run(["tables", CLI.data("examples/medewerkers-example.csv"), "--table", "F3.3", "-q", "--output", "-"], in: dir)
        #expect(tables.status == 0 && tables.stdout.hasPrefix("## Figuur 3.3"))
        let reproduce = try CLI.run(["reproduce", "--survey", "medewerkers", "--format", "csv", "-q", "--output", "-"], in: dir)
        #expect(reproduce.status == 0 && reproduce.stdout.hasPrefix("kind,id,survey"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
        let synth = try CLI.run(["synth", "--survey", "medewerkers", "--iterations", "0", "--output", "-"], in: dir)
        #expect(synth.status == 2 && synth.stderr.contains("--output"))
    }

    @Test("respondents outside the frame are named by line and value; exit 1")
    func unmatched() throws {
        let result = try CLI.run(["weigh", CLI.fixture("input/weigh-unmatched.csv"), "--cell", "cel", "--frame", CLI.fixture("input/weigh-frame.csv")])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("weigh-unmatched.csv, line 3, value \"c\": respondent's cel cell is missing or not in the frame"), "\(result.stderr)")
        #expect(result.stderr.contains("weigh-unmatched.csv, line 4, value \"\": respondent's cel cell is missing"))
    }

    @Test("a frame cell without respondents, a bad frame, a clashing column name")
    func refusals() throws {
        let dir = CLI.temporaryDirectory()
        let frame = dir.appendingPathComponent("frame.csv").path
        try "cel,N\na,60\nb,40\nc,10\n".write(toFile: frame, atomically: true, encoding: .utf8)
        let empty = try CLI.run(["weigh", CLI.fixture("input/weigh-frame.csv"), "--cell", "cel", "--frame", frame])
        #expect(empty.status == 1)
        let input = dir.appendingPathComponent("in.csv").path
        try "id,cel\n1,a\n2,b\n".write(toFile: input, atomically: true, encoding: .utf8)
        let noRespondents = try CLI.run(["weigh", input, "--cell", "cel", "--frame", frame])
        #expect(noRespondents.status == 1)
        #expect(noRespondents.stderr.contains("cel cell \"c\" (N = 10) has no respondents"), "\(noRespondents.stderr)")
        try "cel,N\na,60\nb,-4\n".write(toFile: frame, atomically: true, encoding: .utf8)
        let badFrame = try CLI.run(["weigh", input, "--cell", "cel", "--frame", frame])
        #expect(badFrame.status == 1)
        #expect(badFrame.stderr.contains("frame.csv, line 3, column 2 \"N\", value \"-4\": population count must be a positive number"))
        let clash = try CLI.run(["weigh", CLI.fixture("monitor/fixture.csv"), "--cell", "cel", "--frame", CLI.fixture("monitor/frame.csv"), "--weight-name", "w0"])
        #expect(clash.status == 2)
        let over = try CLI.run(["weigh", input, "--cell", "cel", "--frame", CLI.fixture("input/weigh-frame.csv"), "--output", input])
        #expect(over.status == 2)
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "id,cel\n1,a\n2,b\n")
    }
}
