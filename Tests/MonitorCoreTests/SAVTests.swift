import Foundation
import Testing
@testable import MonitorCore

/// SPSS files made here with ReadStat's writer, read back through the CSV reader's entry point.
@Suite("SPSS .sav files")
struct SAVTests {
    static let longText = String(repeating: "lang antwoord ", count: 25) + "einde"  // 355 bytes

    /// A dictionary with labels, user-missing values and a range, a long string and `extra` filler columns.
    static func dictionary(extra: Int = 0, compression: UInt32 = 1) -> SAVDictionary {
        var variables: [SAVDictionary.Variable] = [
            .init(name: "RESPNR", label: "Respondentnummer", format: "F8.0", measure: 3),
            .init(name: "Q1", label: "Functie", format: "F2.0", measure: 1, labelSet: "functie",
                  missing: [.value(.number(98)), .value(.number(99))]),
            .init(name: "Q6", label: "Aantal incidenten", format: "F8.2", measure: 3, missing: [.range(-9, -1)]),
            .init(name: "Naam", label: "Naam", isString: true, width: 20, format: "A20", labelSet: "naam",
                  missing: [.value(.text("onbekend"))]),
            .init(name: "Toelichting", label: "Open antwoord", isString: true, width: 400, format: "A400"),
        ]
        for k in 0..<extra { variables.append(.init(name: "X\(k)", format: "F3.0")) }
        return SAVDictionary(
            variables: variables,
            labelSets: [
                .init(name: "functie", isString: false, labels: [
                    .init(value: .number(1), label: "Burgemeester"), .init(value: .number(2), label: "Wethouder"),
                    .init(value: .number(98), label: "Weet niet"), .init(value: .number(99), label: "Wil ik niet zeggen"),
                ]),
                .init(name: "naam", isString: true, labels: [.init(value: .text("jan"), label: "Jan (test)")]),
            ],
            fileLabel: "Monitor test", notes: ["gemaakt door de tests"], compression: compression)
    }

    enum Cell: Sendable { case n(Double), s(String) }
    static let rows: [[Cell]] = [
        [.n(1), .n(1), .n(3), .s("jan"), .s(longText)],
        [.n(2), .n(2), .n(0.5), .s("José"), .s("")],
        [.n(3), .n(98), .n(.nan), .s("onbekend"), .s("kort")],
        [.n(4), .n(.nan), .n(-9), .s(""), .s("ünïcode ✓")],
    ]

    static func write(_ path: String, extra: Int = 0, compression: UInt32 = 1) throws {
        let dictionary = dictionary(extra: extra, compression: compression)
        var data = Data()
        let writer = try SAVWriter(dictionary: dictionary, name: path) { data.append(contentsOf: $0) }
        try writer.begin(rows: rows.count)
        for (r, row) in rows.enumerated() {
            try writer.beginRow()
            for (v, value) in row.enumerated() {
                switch value {
                case .n(let x): try writer.insert(x, variable: v)
                case .s(let text): try writer.insert(text, variable: v)
                }
            }
            for k in 0..<extra { try writer.insert(Double((r * 7 + k) % 5), variable: 5 + k) }
            try writer.endRow()
        }
        try writer.finish()
        FileManager.default.createFile(atPath: path, contents: data)
    }

    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-sav-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("values read as an SPSS export to CSV writes them: codes, not labels; user-missing as values; system-missing empty",
          arguments: [(1 as UInt32, "test.sav"), (2 as UInt32, "test.zsav"), (0 as UInt32, "no-extension")])
    func values(compression: UInt32, name: String) throws {
        let path = temporaryPath(name)
        try SAVTests.write(path, extra: 300, compression: compression)
        #expect(SAVFile.isSAV(.file(path)))
        let table = try CSVReader().read(.file(path), columns: .all)
        #expect(table.header.count == 305)
        #expect(table.rowCount == 4)
        #expect(table.rows.map { Array($0.prefix(5)) } == [
            ["1", "1", "3", "jan", SAVTests.longText],
            ["2", "2", "0.5", "José", ""],
            ["3", "98", "", "onbekend", "kort"],
            ["4", "", "-9", "", "ünïcode ✓"],
        ])
        #expect(table.column(named: "X299")?.position == 305)
        #expect((0..<4).map { table.column(named: "X7")![$0] } == ["2", "4", "1", "3"])
        let selected = try CSVReader().read(.file(path), columns: .required(["Naam", "RESPNR"]))
        #expect(selected.columns.map(\.name) == ["Naam", "RESPNR"])
        #expect(selected.columns.map(\.position) == [4, 1])
        #expect(try CSVReader().readHeader(.file(path)).prefix(3) == ["RESPNR", "Q1", "Q6"])
    }

    @Test("the dictionary: variable labels, value labels, user-missing values and ranges, string widths, file label, notes")
    func dictionary() throws {
        let path = temporaryPath("test.sav")
        try SAVTests.write(path)
        let read = try SAVDictionary.read(path: path)
        let expected = SAVTests.dictionary()
        #expect(read.variables.map(\.name) == expected.variables.map(\.name))
        #expect(read.variables.map(\.label) == expected.variables.map(\.label))
        #expect(read.variables.map(\.missing) == expected.variables.map(\.missing))
        #expect(read.variables.map(\.isString) == [false, false, false, true, true])
        #expect(read.variables[4].width >= 400)
        #expect(read.variables.map(\.format) == expected.variables.map(\.format))
        #expect(read.labels(of: read.variables[1]) == expected.labelSets[0].labels)
        #expect(read.labels(of: read.variables[3]) == expected.labelSets[1].labels)
        #expect(read.fileLabel == "Monitor test")
        #expect(read.notes == ["gemaakt door de tests"])
        #expect(read.rowCount == 4)
    }

    @Test("a copy with an added weight keeps every variable, label and missing definition")
    func copyAddingWeight() throws {
        let path = temporaryPath("test.zsav")
        try SAVTests.write(path, compression: 2)
        let weight = SAVDictionary.Variable(name: "weight", label: "Weging (test)", format: "F12.6", measure: 3, displayWidth: 12)
        var data = Data()
        let written = try SAVWriter.copy(path, adding: weight, values: [1.5, 2.25, 0.125, 7], name: "out.zsav") { data.append(contentsOf: $0) }
        #expect(written == 4)
        let out = temporaryPath("out.zsav")
        FileManager.default.createFile(atPath: out, contents: data)
        let before = try SAVDictionary.read(path: path), after = try SAVDictionary.read(path: out)
        #expect(Array(after.variables.dropLast()) == before.variables)
        #expect(after.variables.last == weight)
        #expect(after.labelSets == before.labelSets)
        #expect(after.compression == 2 && after.fileLabel == before.fileLabel && after.notes == before.notes)
        let a = try CSVReader().read(.file(path), columns: .all), b = try CSVReader().read(.file(out), columns: .all)
        #expect(b.rows.map { Array($0.dropLast()) } == a.rows)
        #expect(b.rows.map { $0.last! } == ["1.5", "2.25", "0.125", "7"])
    }

    @Test("errors name the file, and a case and variable where they apply")
    func errors() throws {
        let path = temporaryPath("test.sav")
        try SAVTests.write(path)
        #expect {
            try CSVReader().read(.file(path), columns: .required(["respnr"]))
        } throws: { error in
            "\(error)" == "\(path): required variable \"respnr\" not in the SPSS file (did you mean \"RESPNR\"?)"
        }
        let position = SourcePosition(file: path, line: 4, column: 2, columnName: "Q1", value: "7")
        #expect(position.description == "\(path), case 3, variable \"Q1\", value \"7\"")
        // A truncated file: ReadStat's error, with the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = temporaryPath("cut.sav")
        FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count - 40))
        #expect {
            try CSVReader().read(.file(cut), columns: .all)
        } throws: { error in
            "\(error)".hasPrefix("\(cut)") && "\(error)".contains("cannot read the SPSS file")
        }
    }

    @Test("a codebook check of a .sav names the case and the variable")
    func codebookErrors() throws {
        let path = temporaryPath("test.sav")
        try SAVTests.write(path)
        let codebook = try Codebook.parse(yaml: """
            survey: t
            label: T
            missing: [{code: "", label: Niet ingevuld}]
            variables:
              - {name: RESPNR, type: id, label: R}
              - {name: Q1, type: categorical, label: F, values: [{code: "1", label: B}, {code: "2", label: W}]}
            """, file: "t.yaml")
        let table = try CSVReader().read(.file(path), columns: .all)
        let (_, report) = DatasetBuilder(codebook: codebook).build(table)
        #expect(report.errors().description == "\(path), case 3, variable \"Q1\", value \"98\": not a valid code of Q1 in the codebook")
    }
}
