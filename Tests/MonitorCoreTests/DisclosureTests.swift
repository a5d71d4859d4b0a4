import Foundation
import Testing
@testable import MonitorCore

/// Secondary suppression: a group withheld for having too few respondents cannot be computed back from the
/// cells that are shown (`TableEngine.protectDifferencing`).
@Suite("Disclosure")
struct DisclosureTests {
    /// The bundled example file of a survey, weighted with its scheme, as `monitor tables` computes it.
    static func engine(_ survey: String, thresholds: ReportingThresholds) throws -> TableEngine {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/\(survey).yaml"))
        let (raw, weights) = try weighted(survey)
        let (dataset, report) = DatasetBuilder(codebook: codebook).build(raw)
        #expect(report.isValid)
        return TableEngine(dataset: dataset, design: try SurveyDesign(rowCount: dataset.rowCount, weights: weights),
                           codebook: codebook, thresholds: thresholds)
    }

    /// The example file as read, and its weights under the survey's scheme.
    static func weighted(_ survey: String) throws -> (RawTable, [Double]) {
        let raw = try CSVReader().read(.file(Fixtures.data("examples/\(survey)-example.csv")), columns: .all)
        let scheme = try WeightingScheme.load(path: Fixtures.data("schemes/\(survey).yaml"))
        let weigher = Weigher(scheme: scheme, frames: try scheme.frameFiles.map { try Frame.load(path: Fixtures.data($0)) })
        var values: [String: [String]] = [:]
        for name in weigher.variables { values[name] = (0..<raw.rowCount).map { raw.column(named: name)![$0] } }
        return (raw, try weigher.weigh(values: values, base: nil, rowCount: raw.rowCount).weights)
    }

    static func spec(_ survey: String, _ key: String) throws -> TableSpec {
        try #require(try TableSpec.loadAll(directory: Fixtures.data("tables")).first { $0.survey == survey && $0.key == key })
    }

    @Test("a combined group next to a suppressed one is withheld: it would give the suppressed group to within 2 points")
    func combinedGroup() throws {
        // Figuur 3.3 on the medewerkers example: provincies n = 8 (suppressed), waterschappen n = 11 and their
        // combination n = 19 (shown before secondary suppression existed).
        let spec = try Self.spec("medewerkers", "F3.3")
        let protected = try Self.engine("medewerkers", thresholds: ReportingThresholds()).compute(spec)
        let open = try Self.engine("medewerkers", thresholds: ReportingThresholds(protection: 0)).compute(spec)
        let everything = try Self.engine("medewerkers", thresholds: ReportingThresholds(minimum: 1, protection: 0)).compute(spec)
        var derivations = 0
        for row in protected.rows.map(\.key) {
            let provincie = try #require(protected.cell(row: row, block: "bestuurslaag", column: "provincie"))
            #expect(provincie.flag == .suppressed && provincie.estimate == nil)
            let combined = try #require(protected.cell(row: row, block: "bestuurslaag_provincie_waterschap", column: "provincie_waterschap"))
            #expect(combined.flag == .secondary)
            #expect(combined.estimate == nil && combined.standardError == nil && combined.ciLow == nil && combined.verdict == nil && combined.pValue == nil)
            #expect(combined.n == 19, "the n stays shown")
            #expect(protected.cell(row: row, block: "bestuurslaag", column: "waterschap")?.estimate != nil, "the real group stays")

            // Why: without the protection, the printed (rounded) cells give the suppressed percentage back:
            // W_pw·p_pw = W_p·p_p + W_w·p_w with W the weighted sizes (sums of the weights the weighting report
            // shows), so p_p = (W_pw·p_pw − W_w·p_w) / W_p, off by at most half a point times (W_pw + W_w) / W_p.
            let shownCombined = try #require(open.cell(row: row, block: "bestuurslaag_provincie_waterschap", column: "provincie_waterschap"))
            let shownWaterschap = try #require(open.cell(row: row, block: "bestuurslaag", column: "waterschap"))
            #expect(shownCombined.flag != .secondary)
            guard row != "slachtoffer" else { continue }  // derived from the three forms: not a column of the file
            derivations += 1
            let truth = try #require(everything.cell(row: row, block: "bestuurslaag", column: "provincie")?.estimate) * 100
            let wP = try Self.weightedSize("medewerkers", bestuurslaag: "provincie", answering: row)
            let wW = try Self.weightedSize("medewerkers", bestuurslaag: "waterschap", answering: row)
            let printedCombined = (try #require(shownCombined.estimate) * 100).rounded()
            let printedWaterschap = (try #require(shownWaterschap.estimate) * 100).rounded()
            let derived = (printedCombined * (wP + wW) - printedWaterschap * wW) / wP
            let bound = 0.5 * (wP + wW + wW) / wP
            #expect(bound < 10, "within the 10 points that count as disclosed")
            #expect(abs(derived - truth) <= bound + 1e-9, "\(row): derived \(derived), suppressed value \(truth)")
        }
        #expect(derivations == 3)
        #expect(!open.cells.contains { $0.flag == .secondary }, "protection 0 turns the rule off")
    }

    @Test("against the Totaal column the smallest other group is withheld, and only when the derivation is close")
    func totalColumn() throws {
        // Figuur 2.13 on the ambtsdragers example: Totaal n = 25, ernst niet ernstig 16, ernstig 9 (suppressed):
        // Totaal minus niet ernstig gives ernstig to within 0.5 × (25 + 16) / 9 = 2.3 points.
        let spec = try Self.spec("ambtsdragers", "F2.13")
        let table = try Self.engine("ambtsdragers", thresholds: ReportingThresholds()).compute(spec)
        for row in table.rows.map(\.key) {
            #expect(table.cell(row: row, block: "", column: "")?.estimate != nil, "the Totaal column is never withheld")
            #expect(table.cell(row: row, block: "ernst_categorie", column: "zeer_ernstig")?.flag == .suppressed)
            #expect(table.cell(row: row, block: "ernst_categorie", column: "minder_ernstig")?.flag == .secondary)
        }
        // With a protection of 2 points the same derivation (2.3 points) no longer counts as a disclosure.
        let loose = try Self.engine("ambtsdragers", thresholds: ReportingThresholds(protection: 2)).compute(spec)
        #expect(loose.cells.filter { $0.block == "ernst_categorie" && $0.column == "minder_ernstig" }.allSatisfy { $0.flag != .secondary })
    }

    /// The weighted size of a bestuurslaag's respondents with a 0/1 answer to `variable` in the example.
    static func weightedSize(_ survey: String, bestuurslaag: String, answering variable: String) throws -> Double {
        let (raw, weights) = try weighted(survey)
        let laag = try #require(raw.column(named: "bestuurslaag")), answer = try #require(raw.column(named: variable))
        return (0..<raw.rowCount).filter { laag[$0] == bestuurslaag && ["0", "1"].contains(answer[$0]) }.reduce(0) { $0 + weights[$1] }
    }
}
