import Foundation
import Testing
import MonitorCore

/// SPSS files for the tests, written with ReadStat's writer (`SAVWriter`) from the CSV files in data/.
enum SAVFixture {
    enum Cell { case number(Double), text(String) }

    /// Writes the columns of `csv` as an SPSS file: a column is numeric when every filled value reads back as
    /// the same text (`SAVFile.text`), else a string as wide as its longest value.
    static func plain(csv: String, to path: String, compression: UInt32 = 1) throws {
        let table = try CSVReader().read(.file(csv), columns: .all)
        var variables: [SAVDictionary.Variable] = []
        var cells: [[Cell]] = []
        for column in table.columns {
            let numbers: [Double?] = column.values.map { text in
                text.isEmpty ? Double.nan : Double(text).flatMap { SAVFile.text($0) == text ? $0 : nil }
            }
            if numbers.allSatisfy({ $0 != nil }) {
                variables.append(.init(name: column.name, format: "F8.2"))
                cells.append((0..<table.rowCount).map { .number(numbers[column.codes[$0]]!) })
            } else {
                let width = max(1, column.values.map(\.utf8.count).max() ?? 1)
                variables.append(.init(name: column.name, isString: true, width: width, format: "A\(width)"))
                cells.append((0..<table.rowCount).map { .text(column[$0]) })
            }
        }
        try write(SAVDictionary(variables: variables, compression: compression), cells: cells, rows: table.rowCount, to: path)
    }

    static let missingCodes: [String: Double] = ["weet_niet": 98, "wil_niet_zeggen": 99, "nvt": -1]

    /// Writes a canonical CSV as a fieldwork agency's SPSS export: upper-case names (and `bestuurslaag` as
    /// BESTLAAG, found by its label), numbered codes with the codebook's labels as value labels, binaries
    /// 1 = Ja / 2 = Nee, the missing codes as user-missing 98, 99, -1, and a variable the codebook lacks.
    static func export(csv: String, codebook: Codebook, to path: String) throws {
        let table = try CSVReader().read(.file(csv), columns: .all)
        var dictionary = SAVDictionary(variables: [])
        var cells: [[Cell]] = []
        let missingLabels = codebook.missing.filter { missingCodes[$0.code] != nil }
            .map { SAVDictionary.ValueLabel(value: .number(missingCodes[$0.code]!), label: $0.label) }
        for column in table.columns {
            let cv = codebook.variable(column.name)!
            let name = cv.name == "bestuurslaag" ? "BESTLAAG" : cv.name.uppercased()
            var variable = SAVDictionary.Variable(name: name, label: cv.label, format: "F8.2")
            switch cv.type {
            case .categorical, .binary:
                var numberOf: [String: Double] = [:]
                let codes = cv.type == .binary ? ["1", "0"] : cv.validValues.map(\.code)
                for (k, code) in codes.enumerated() { numberOf[code] = Double(k + 1) }
                for (code, x) in missingCodes { numberOf[code] = x }
                let labels = cv.validValues.map { SAVDictionary.ValueLabel(value: .number(numberOf[$0.code]!), label: $0.label) }
                dictionary.labelSets.append(.init(name: "l_\(name)", isString: false, labels: labels + missingLabels))
                variable.labelSet = "l_\(name)"
                variable.missing = [.value(.number(98)), .value(.number(99)), .value(.number(-1))]
                cells.append((0..<table.rowCount).map { .number(column[$0].isEmpty ? .nan : numberOf[column[$0]]!) })
            case .numeric:
                cells.append((0..<table.rowCount).map { .number(column[$0].isEmpty ? .nan : Double(column[$0])!) })
            case .id, .text:
                let width = max(1, column.values.map(\.utf8.count).max() ?? 1)
                variable.isString = true
                variable.width = width
                variable.format = "A\(width)"
                cells.append((0..<table.rowCount).map { .text(column[$0]) })
            }
            dictionary.variables.append(variable)
        }
        dictionary.variables.append(.init(name: "FILTER_X", label: "Filter van het bureau", format: "F1.0"))
        cells.append((0..<table.rowCount).map { .number(Double($0 % 2)) })
        try write(dictionary, cells: cells, rows: table.rowCount, to: path)
    }

    static func write(_ dictionary: SAVDictionary, cells: [[Cell]], rows: Int, to path: String) throws {
        var data = Data()
        let writer = try SAVWriter(dictionary: dictionary, name: path) { data.append(contentsOf: $0) }
        try writer.begin(rows: rows)
        for row in 0..<rows {
            try writer.beginRow()
            for (v, column) in cells.enumerated() {
                switch column[row] {
                case .number(let x): try writer.insert(x, variable: v)
                case .text(let s): try writer.insert(s, variable: v)
                }
            }
            try writer.endRow()
        }
        try writer.finish()
        FileManager.default.createFile(atPath: path, contents: data)
    }
}

@Suite("SPSS files on the command line")
struct SAVCommandTests {
    @Test("a .sav of the bundled file gives byte-identical tables to the CSV; a .zsav of an example too", arguments: [
        ("monitor-2024-ambtsdragers.csv", "ambtsdragers", "bundled.sav", 1 as UInt32),
        ("examples/medewerkers-example.csv", "medewerkers", "example.zsav", 2 as UInt32),
    ])
    func tablesSameBytes(csv: String, survey: String, name: String, compression: UInt32) throws {
        let dir = CLI.temporaryDirectory()
        let sav = dir.appendingPathComponent(name).path
        try SAVFixture.plain(csv: CLI.data(csv), to: sav, compression: compression)
        let fromCSV = try CLI.run(["tables", CLI.data(csv), "--survey", survey, "--format", "csv", "-q"])
        let fromSAV = try CLI.run(["tables", sav, "--survey", survey, "--format", "csv", "-q"])
        #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
        #expect(fromSAV.status == 0, "\(fromSAV.stderr)")
        #expect(!fromCSV.stdout.isEmpty)
        #expect(fromSAV.stdout == fromCSV.stdout)
        // On standard input too (read once into a temporary copy, then recognised by its magic number).
        let piped = try CLI.run(["tables", "-", "--survey", survey, "--format", "csv", "-q"],
                                stdin: try Data(contentsOf: URL(fileURLWithPath: sav)))
        #expect(piped.stdout == fromCSV.stdout, "\(piped.stderr)")
    }

    @Test("weigh data.sav -o weighted.sav: every variable, label and missing definition kept, plus the weight")
    func weigh() throws {
        let dir = CLI.temporaryDirectory()
        let csv = CLI.data("examples/ambtsdragers-example.csv")
        let sav = dir.appendingPathComponent("data.sav").path
        let codebook = try Codebook.load(path: CLI.data("codebook/ambtsdragers.yaml"))
        try SAVFixture.export(csv: csv, codebook: codebook, to: sav)
        let map = dir.appendingPathComponent("map.yaml").path
        #expect(try CLI.run(["map", "--init", sav, "--survey", "ambtsdragers", "-o", map, "-q"]).status == 0)
        let weighted = dir.appendingPathComponent("weighted.sav").path
        let result = try CLI.run(["weigh", sav, "--map", map, "-o", weighted, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let before = try SAVDictionary.read(path: sav), after = try SAVDictionary.read(path: weighted)
        #expect(Array(after.variables.dropLast()) == before.variables)
        #expect(after.labelSets == before.labelSets)
        let weight = try #require(after.variables.last)
        #expect(weight.name == "weight" && weight.label.hasPrefix("Weging (post-stratificatie naar bestuurslaag"))
        // The same weights as weighing the canonical CSV.
        let csvWeighted = dir.appendingPathComponent("weighted.csv").path
        #expect(try CLI.run(["weigh", csv, "-o", csvWeighted, "-q"]).status == 0)
        let a = try CSVReader().read(.file(csvWeighted), columns: .required(["weight"]))
        let b = try CSVReader().read(.file(weighted), columns: .all)
        let original = try CSVReader().read(.file(sav), columns: .all)
        func rows(_ t: RawTable) -> [[String]] { (0..<t.rowCount).map { r in t.columns.map { $0[r] } } }
        #expect(rows(b).map { Array($0.dropLast()) } == rows(original))
        let weightsSAV = (0..<b.rowCount).map { Double(b.column(named: "weight")![$0])! }
        let weightsCSV = (0..<a.rowCount).map { Double(a.columns[0][$0])! }
        #expect(weightsSAV == weightsCSV)
        // --weight-name clashing with a variable, in another case, is a usage error.
        let clash = try CLI.run(["weigh", weighted, "--map", map, "--weight-name", "WEIGHT", "-o", dir.appendingPathComponent("x.sav").path])
        #expect(clash.status == 2, "\(clash.stderr)")
    }

    @Test("map --init drafts a mapping from names and value labels; describe validates it; the tables equal the CSV's")
    func mapRoundTrip() throws {
        let dir = CLI.temporaryDirectory()
        let csv = CLI.data("examples/ambtsdragers-example.csv")
        let sav = dir.appendingPathComponent("export.sav").path
        let codebook = try Codebook.load(path: CLI.data("codebook/ambtsdragers.yaml"))
        try SAVFixture.export(csv: csv, codebook: codebook, to: sav)
        let draft = try CLI.run(["map", "--init", sav, "--survey", "ambtsdragers"])
        #expect(draft.status == 0, "\(draft.stderr)")
        #expect(draft.stdout.contains("  BESTLAAG: bestuurslaag\n"))
        #expect(draft.stdout.contains("  GESLACHT: geslacht\n"))
        #expect(draft.stdout.contains("  # TODO: no match for file variable FILTER_X (\"Filter van het bureau\")\n"))
        #expect(draft.stdout.contains("missing: {\"-1\": nvt, \"98\": weet_niet, \"99\": wil_niet_zeggen}\n"))
        #expect(draft.stdout.contains("  verbale_agressie: {\"2\": \"0\"}\n"))
        #expect(draft.stderr.contains("1 TODO left"))
        let map = dir.appendingPathComponent("map.yaml").path
        try draft.stdout.write(toFile: map, atomically: true, encoding: .utf8)
        let describe = try CLI.run(["describe", sav, "--survey", "ambtsdragers", "--map", map, "-q"])
        #expect(describe.status == 0, "\(describe.stderr)")
        let fromCSV = try CLI.run(["tables", csv, "--survey", "ambtsdragers", "--format", "csv", "-q"])
        let fromSAV = try CLI.run(["tables", sav, "--survey", "ambtsdragers", "--map", map, "--format", "csv", "-q"])
        #expect(fromSAV.status == 0, "\(fromSAV.stderr)")
        #expect(fromSAV.stdout == fromCSV.stdout)
        // A CSV export: names only.
        let fromCSVDraft = try CLI.run(["map", "--init", CLI.data("examples/ambtsdragers-spss-export.csv"), "--survey", "ambtsdragers", "-q"])
        #expect(fromCSVDraft.status == 0)
        #expect(fromCSVDraft.stdout.contains("# TODO: no match for file variable RESPNR"))
        #expect(fromCSVDraft.stdout.contains("# TODO: no match for required variable respondent_id"))
    }

    @Test("an invalid value in a .sav: the error names the file, case, variable and value; exit 1")
    func invalidValue() throws {
        let dir = CLI.temporaryDirectory()
        var lines = try String(contentsOfFile: CLI.data("examples/ambtsdragers-example.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let geslacht = lines[0].split(separator: ",").firstIndex(of: "geslacht")!
        var fields = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[geslacht] = "onbekend"
        lines[3] = fields.joined(separator: ",")
        let csv = dir.appendingPathComponent("bad.csv").path
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let sav = dir.appendingPathComponent("bad.sav").path
        try SAVFixture.plain(csv: csv, to: sav)
        let result = try CLI.run(["describe", sav, "--survey", "ambtsdragers", "-q"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(sav), case 3, variable \"geslacht\", value \"onbekend\": not a valid code of geslacht"),
                "\(result.stderr)")
        let fromCSV = try CLI.run(["describe", csv, "--survey", "ambtsdragers", "-q"])
        #expect(fromCSV.stderr.contains("\(csv), line 4, column \"geslacht\", value \"onbekend\""), "\(fromCSV.stderr)")
    }
}
