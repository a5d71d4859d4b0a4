import Foundation
import Testing
@testable import MonitorCore

/// The codebooks in data/codebook are the canonical respondent files; these tests hold them to the format.
@Suite("Codebooks")
struct CodebookTests {
    @Test("the bundled codebooks load and pass the structural checks", arguments: ["ambtsdragers", "medewerkers"])
    func bundled(survey: String) throws {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/\(survey).yaml"))
        #expect(codebook.survey == survey)
        #expect(codebook.variable("bestuurslaag")?.validValues.map(\.code) == ["gemeente", "provincie", "waterschap"])
        #expect(codebook.variable("respondent_id")?.isRequired == true)
        #expect(codebook.derivedVariable("slachtoffer") != nil)
        #expect(codebook.derivedVariable("ernst_categorie")?.values?.map(\.code) == ["minder_ernstig", "zeer_ernstig"])
    }

    @Test("the bundled examples are valid against their codebooks", arguments: ["ambtsdragers", "medewerkers"])
    func examples(survey: String) throws {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/\(survey).yaml"))
        let table = try CSVReader().read(.file(Fixtures.data("examples/\(survey)-example.csv")), columns: .all)
        let (dataset, report) = DatasetBuilder(codebook: codebook).build(table)
        #expect(report.isValid, "\(report.errors())")
        #expect(report.unknownColumns.isEmpty)
        #expect(dataset.rowCount == 60)
    }

    @Test("an SPSS export with the example map reads as the canonical rows it was made from")
    func mapping() throws {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/ambtsdragers.yaml"))
        let map = try ExportMap.load(path: Fixtures.data("maps/example-spss-export.yaml"))
        let exported = try CSVReader().read(.file(Fixtures.data("examples/ambtsdragers-spss-export.csv")), columns: .all)
        #expect(exported.dialect.delimiter == UInt8(ascii: ";") && exported.dialect.decimalComma)
        let (mapped, report) = DatasetBuilder(codebook: codebook, map: map).build(exported)
        #expect(report.isValid, "\(report.errors())")
        let canonical = try CSVReader().read(.file(Fixtures.data("examples/ambtsdragers-example.csv")), columns: .all)
        let (reference, _) = DatasetBuilder(codebook: codebook).build(canonical)
        #expect(mapped.names.count > 30)
        for name in mapped.names {
            switch (mapped[name], reference[name]) {
            case (.categorical(let a)?, .categorical(let b)?):
                #expect(a.codes.map { a.levels[Int($0)].code } == Array(b.codes.prefix(30).map { b.levels[Int($0)].code }), "\(name)")
            case (.numeric(let a)?, .numeric(let b)?):
                #expect(zip(a, b.prefix(30)).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(name)")
            case (.text(let a)?, .text(let b)?):
                #expect((0..<30).map { a[$0] } == (0..<30).map { b[$0] }, "\(name)")
            default:
                Issue.record("\(name): column kinds differ")
            }
        }
    }

    @Test("invalid codes, out-of-range numbers and repeated ids are located by line")
    func invalidValues() throws {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/ambtsdragers.yaml"))
        let table = try Fixtures.read("input/ambtsdragers-invalid.csv")
        let (_, report) = DatasetBuilder(codebook: codebook).build(table)
        #expect(!report.isValid)
        let byName = Dictionary(uniqueKeysWithValues: report.variables.map { ($0.name, $0) })
        #expect(byName["verbale_agressie"]?.invalidExamples.map(\.line) == [3])
        #expect(byName["ernst"]?.invalidExamples.map(\.value) == ["9", "4.5"])
        #expect(byName["bestuurslaag"]?.invalidExamples.map(\.value) == ["Gemeente"])
        #expect(byName["respondent_id"]?.invalidExamples.map(\.line) == [4])
        #expect(report.rowsWithInvalid == 3)
        #expect(report.errors().total == 5)
    }
}

/// Derived variables follow docs/codebook.md: recode, any, bands, count, with missing codes carried through.
@Suite("Derived variables")
struct DerivationTests {
    static let yaml = """
    survey: test
    label: Test
    missing:
      - {code: "", label: Niet ingevuld}
      - {code: nvt, label: Niet van toepassing}
    variables:
      - {name: id, type: id, label: Id}
      - name: functie
        type: categorical
        label: Functie
        values: [{code: burgemeester, label: B}, {code: raadslid, label: R}]
      - {name: a, type: binary, label: A}
      - {name: b, type: binary, label: B}
      - {name: ernst, type: numeric, label: Ernst, range: [1, 7], integer: true}
    derived:
      - name: type
        label: Type
        recode: functie
        map: {burgemeester: voorzitter, raadslid: volksvertegenwoordiger}
        values: [{code: voorzitter, label: V}, {code: volksvertegenwoordiger, label: VV}]
      - {name: ab, label: A of B, any: [a, b]}
      - {name: n, label: Aantal, count: [a, b]}
      - name: ernstig
        label: Ernst
        bands: ernst
        values: [{code: minder, label: M, min: 1, max: 4}, {code: zeer, label: Z, min: 5, max: 7}]
      - name: incident
        label: Incident naar ernst (allen)
        cases:
          - {when: {ab: ["0"]}, code: geen}
          - {when: {ab: ["1"], ernstig: [zeer]}, code: zeer}
          - {when: {ernstig: [minder]}, code: minder}
        values: [{code: geen, label: G}, {code: minder, label: M}, {code: zeer, label: Z}]
      - {name: rest, label: Rest, complement: ernst, total: 8}
    """

    @Test("each kind of derivation, row by row")
    func kinds() throws {
        let codebook = try Codebook.parse(yaml: DerivationTests.yaml, file: "test.yaml")
        let csv = "id,functie,a,b,ernst\n1,burgemeester,1,nvt,5\n2,raadslid,0,0,4\n3,nvt,nvt,nvt,\n4,raadslid,,0,7\n"
        let table = try CSVReader().read(.file(Fixtures.temporary(Array(csv.utf8))), columns: .all)
        let (dataset, report) = DatasetBuilder(codebook: codebook).build(table)
        #expect(report.isValid, "\(report.errors())")
        func codes(_ name: String) -> [String] {
            let c = dataset.categorical(name)!
            return c.codes.map { c.levels[Int($0)].code }
        }
        #expect(codes("type") == ["voorzitter", "volksvertegenwoordiger", "nvt", "volksvertegenwoordiger"])
        #expect(codes("ab") == ["1", "0", "nvt", ""])
        #expect(codes("ernstig") == ["zeer", "minder", "", "zeer"])
        let n = dataset.numeric("n")!
        #expect(n[1] == 0 && n[0].isNaN && n[2].isNaN && n[3].isNaN)
        // First case that holds; none holds -> empty (row 3: ab missing; row 4: ab missing, ernst 7 is not minder).
        #expect(codes("incident") == ["zeer", "geen", "", ""])
        let rest = dataset.numeric("rest")!
        #expect(rest[0] == 3 && rest[1] == 4 && rest[2].isNaN && rest[3] == 1)
    }

    @Test("the generator's per-record derivation equals the column-wise one, for every combination of answers")
    func recordSchemaAgrees() throws {
        let codebook = try Codebook.parse(yaml: DerivationTests.yaml, file: "test.yaml")
        let schema = try RecordSchema(codebook: codebook, numeric: ["ernst": .init(values: [1, 2, 3, 4, 5, 6, 7], weights: nil)], textValues: [:])
        let raw = (0..<schema.rawCount).map { schema.variables[$0] }
        // Every combination of the raw variables' domains, as records and as CSV rows.
        var records: [[UInt16]] = [[]]
        for v in raw { records = records.flatMap { r in v.domain.indices.map { r + [UInt16($0)] } } }
        var csv = "id," + raw.map(\.name).joined(separator: ",") + "\n"
        for (i, r) in records.enumerated() { csv += "\(i)," + raw.indices.map { raw[$0].domain[Int(r[$0])] }.joined(separator: ",") + "\n" }
        let table = try CSVReader().read(.file(Fixtures.temporary(Array(csv.utf8))), columns: .all)
        let (dataset, _) = DatasetBuilder(codebook: codebook).build(table)
        for (i, var record) in records.enumerated() {
            record += [UInt16](repeating: 0, count: schema.variables.count - schema.rawCount)
            schema.derive(&record)
            for v in schema.variables[schema.rawCount...] {
                let k = schema.index[v.name]!
                let fromRecord = v.domain[Int(record[k])]
                let fromColumn: String
                switch dataset[v.name]! {
                case .categorical(let c): fromColumn = c.levels[Int(c.codes[i])].code
                case .numeric(let y): fromColumn = y[i].isNaN ? "" : NumberFormat.exact(y[i])
                case .text: fromColumn = "?"
                }
                #expect(fromRecord == fromColumn, "\(v.name), row \(i)")
            }
        }
    }

    @Test("structural mistakes in a codebook are errors", arguments: [
        ("map: {burgemeester: voorzitter, raadslid: volksvertegenwoordiger}", "map: {burgemeester: voorzitter}", "does not say what"),
        ("{code: minder, label: M, min: 1, max: 4}", "{code: minder, label: M, min: 1, max: 5}", "overlap"),
        ("{code: zeer, label: Z, min: 5, max: 7}", "{code: zeer, label: Z, min: 5, max: 6}", "do not cover"),
        ("any: [a, b]", "any: [a, ernst]", "not a binary variable"),
        ("{when: {ab: [\"0\"]}, code: geen}", "{when: {ab: [\"0\"]}, code: niets}", "is not among its values"),
        ("{when: {ernstig: [minder]}, code: minder}", "{when: {ernstig: [klein]}, code: minder}", "has no code"),
        ("{when: {ernstig: [minder]}, code: minder}", "{when: {ernst: [\"4\"]}, code: minder}", "not a categorical variable"),
        ("complement: ernst", "complement: functie", "not a numeric variable"),
    ])
    func mistakes(original: String, replacement: String, message: String) throws {
        let broken = DerivationTests.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(broken != DerivationTests.yaml)
        let error = #expect(throws: DataError.self) { try Codebook.parse(yaml: broken, file: "test.yaml") }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}
