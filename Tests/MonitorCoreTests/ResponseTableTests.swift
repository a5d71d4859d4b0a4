import Foundation
import Testing
@testable import MonitorCore

/// Rows that describe the response (issue 24): unweighted counts, shares, frame totals and response rates
/// (`TableSpec.Statistic.count`, `.share`, `.frame`, `.rate`), and rows named apart from their variable.
@Suite("response tables")
struct ResponseTableTests {
    /// Seven organisations: four gemeenten (one without an answer to beleid_gerichtheid), one provincie, two
    /// waterschappen; weighted very unequally, which no response statistic may notice.
    static func engine() throws -> TableEngine {
        let codebook = try Codebooks.load("organisaties")
        let csv = """
        organisatie_id,bestuurslaag,beleid_gerichtheid
        O1,gemeente,doelgroepgericht
        O2,gemeente,doelgroepgericht
        O3,gemeente,generiek
        O4,gemeente,
        O5,provincie,generiek
        O6,waterschap,doelgroepgericht
        O7,waterschap,generiek

        """
        let raw = try CSVReader().read(.file(Fixtures.temporary(Array(csv.utf8))), columns: .all)
        let (dataset, report) = DatasetBuilder(codebook: codebook).build(raw)
        #expect(report.isValid)
        let design = try SurveyDesign(rowCount: dataset.rowCount, weights: [1, 9, 1, 1, 5, 1, 3])
        return TableEngine(dataset: dataset, design: design, codebook: codebook, thresholds: ReportingThresholds(indicative: 50, minimum: 1))
    }

    static func frame(_ text: String) -> String { Fixtures.temporary(Array(text.utf8), name: "frame.csv") }

    static func spec(_ rows: [TableSpec.Row], filter: [String: [String]]? = nil) -> TableSpec {
        TableSpec(id: "9.9", kind: .tabel, survey: "organisaties", family: .response, title: "test",
                  base: .init(label: "organisaties", filter: filter), rows: rows,
                  columns: [.init(by: nil), .init(by: "bestuurslaag")], decimals: 0, test: TableSpec.Test.none, previous: nil,
                  source: nil, published: nil, notes: nil, file: nil)
    }

    static func value(_ table: ComputedTable, _ row: String, _ column: String) -> Double? {
        table.cell(row: row, block: column.isEmpty ? "" : "bestuurslaag", column: column)?.estimate
    }

    @Test("count: the respondents of the cell with a valid answer, or with the level; unweighted")
    func counts() throws {
        let spec = Self.spec([.init(variable: "beleid_gerichtheid", name: "beantwoord", statistic: .count),
                              .init(variable: "beleid_gerichtheid", levels: ["doelgroepgericht", "generiek"], statistic: .count)])
        let table = try Self.engine().compute(spec)
        #expect(table.rows.map(\.key) == ["beantwoord", "beleid_gerichtheid=doelgroepgericht", "beleid_gerichtheid=generiek"])
        #expect(Self.value(table, "beantwoord", "") == 6 && Self.value(table, "beantwoord", "gemeente") == 3)
        #expect(Self.value(table, "beleid_gerichtheid=doelgroepgericht", "") == 3)
        #expect(Self.value(table, "beleid_gerichtheid=generiek", "waterschap") == 1)
        #expect(Self.value(table, "beleid_gerichtheid=generiek", "provincie") == 1)
        let cell = try #require(table.cell(row: "beantwoord", block: "", column: ""))
        #expect(cell.statistic == TableSpec.Statistic.count && cell.n == 6 && cell.standardError == nil && cell.verdict == nil)
        // The reproduction's exact count agrees with the cell, through the row's name.
        #expect(try Self.engine().count(spec, row: "beleid_gerichtheid=generiek", block: "bestuurslaag", column: "gemeente") == 1)
        #expect(try Self.engine().rowBaseN(spec, row: "beantwoord") == 6)
        #expect(TableReport.value(cell, decimals: 0) == "6")
        #expect(TableReport.value(TableCell(row: "r", rowLabel: "r", block: "", column: "", columnLabel: "Totaal", statistic: .frame, n: 7, effectiveN: 7, estimate: 6212, standardError: nil, ciLow: nil, ciHigh: nil, flag: .none, verdict: nil, pValue: nil, trend: []), decimals: 0) == "6.212")
    }

    @Test("share: the level's count over the valid answers (without levels: the valid answers over all respondents)")
    func shares() throws {
        let spec = Self.spec([.init(variable: "beleid_gerichtheid", name: "ingevuld", statistic: .share),
                              .init(variable: "beleid_gerichtheid", levels: ["doelgroepgericht"], statistic: .share)])
        let table = try Self.engine().compute(spec)
        #expect(Self.value(table, "ingevuld", "") == 6.0 / 7 && Self.value(table, "ingevuld", "gemeente") == 3.0 / 4)
        #expect(Self.value(table, "beleid_gerichtheid=doelgroepgericht", "") == 3.0 / 6)
        #expect(Self.value(table, "beleid_gerichtheid=doelgroepgericht", "gemeente") == 2.0 / 3, "unweighted: the weights 1, 9, 1 play no part")
        let cell = try #require(table.cell(row: "ingevuld", block: "", column: ""))
        #expect(TableReport.value(cell, decimals: 0) == "86%")
    }

    @Test("frame and rate: the frame's total over the rows in the cell, and the count over it")
    func frameAndRate() throws {
        let frame = Self.frame("bestuurslaag,N\ngemeente,40\nprovincie,2\nwaterschap,8\n")
        let spec = Self.spec([.init(variable: "bestuurslaag", name: "benaderd", statistic: .frame, frame: frame),
                              .init(variable: "bestuurslaag", name: "deelgenomen", statistic: .count),
                              .init(variable: "bestuurslaag", name: "respons", statistic: .rate, frame: frame)])
        let table = try Self.engine().compute(spec)
        #expect(Self.value(table, "benaderd", "") == 50 && Self.value(table, "benaderd", "waterschap") == 8)
        #expect(Self.value(table, "deelgenomen", "") == 7)
        #expect(Self.value(table, "respons", "") == 7.0 / 50 && Self.value(table, "respons", "provincie") == 1.0 / 2)
        // A base filter is a condition on the frame too.
        let narrowed = try Self.engine().compute(Self.spec(spec.rows, filter: ["bestuurslaag": ["gemeente", "provincie"]]))
        #expect(Self.value(narrowed, "benaderd", "") == 42 && Self.value(narrowed, "respons", "") == 5.0 / 42)
    }

    @Test("a frame that does not split a cell gives no value; a frame without the cell's variable is an error")
    func unsplitFrame() throws {
        let wildcard = Self.frame("bestuurslaag,beleid_gerichtheid,N\ngemeente,*,40\nprovincie,generiek,2\nwaterschap,*,8\n")
        let spec = Self.spec([.init(variable: "beleid_gerichtheid", levels: ["generiek"], statistic: .frame, frame: wildcard)])
        let table = try Self.engine().compute(spec)
        #expect(Self.value(table, "beleid_gerichtheid=generiek", "provincie") == 2)
        #expect(Self.value(table, "beleid_gerichtheid=generiek", "gemeente") == nil)
        #expect(Self.value(table, "beleid_gerichtheid=generiek", "") == nil)
        let other = Self.frame("functie,N\nburgemeester,342\n")
        #expect(throws: DataError.self) {
            try Self.engine().compute(Self.spec([.init(variable: "bestuurslaag", statistic: .frame, frame: other)]))
        }
    }

    @Test("the specification names a frame exactly for frame and rate rows, and a row name once")
    func checks() throws {
        let codebook = try Codebooks.load("organisaties")
        let frame = Self.frame("bestuurslaag,N\ngemeente,40\n")
        #expect(throws: DataError.self) { try Self.spec([.init(variable: "bestuurslaag", statistic: .rate)]).check(against: codebook) }
        #expect(throws: DataError.self) {
            try Self.spec([.init(variable: "bestuurslaag", statistic: .count, frame: frame)]).check(against: codebook)
        }
        #expect(throws: DataError.self) {
            try Self.spec([.init(variable: "bestuurslaag", name: "x", statistic: .count),
                           .init(variable: "beleid_gerichtheid", name: "x", statistic: .count)]).check(against: codebook)
        }
        try Self.spec([.init(variable: "bestuurslaag", name: "x", statistic: .count),
                       .init(variable: "bestuurslaag", name: "y", statistic: .frame, frame: frame)]).check(against: codebook)
    }

    @Test("a scheme with method none weighs every respondent 1")
    func noWeighting() throws {
        let scheme = try WeightingScheme.load(path: Fixtures.data("schemes/organisaties.yaml"))
        #expect(scheme.method == WeightingScheme.Method.none && scheme.frameFiles.isEmpty)
        let result = try Weigher(scheme: scheme, frames: []).weigh(values: [:], base: nil, rowCount: 4)
        #expect(result.weights == [1, 1, 1, 1] && result.calibration == nil)
    }

    @Test("count rows are calibration targets of their counts; shares, frames and rates are not")
    func targets() throws {
        let specs = try TableSpec.loadAll(directory: Fixtures.data("tables")).filter { $0.survey == "organisaties" }
        let published = try PublishedData.load(directory: Fixtures.data("published"))
        let targets = published.targets(survey: "organisaties", specs: specs).filter { $0.spec.key == "T1.5" }
        #expect(!targets.isEmpty)
        #expect(targets.allSatisfy { $0.row == "deelgenomen" && $0.kind.isCount })
        #expect(targets.contains { $0.column == "bestuurslaag=gemeente" && $0.kind == .count(101) })
    }
}
