import Foundation
import Testing
@testable import MonitorCore

/// Issue 21: the pipeline's pieces (filters, survey inference, ad hoc table specifications) and the pipeline itself.
@Suite("analysis pipeline")
struct PipelineTests {
    @Test("--filter parses VAR=CODE[,CODE] and VAR!=CODE[,CODE], and refuses the rest")
    func filterSyntax() throws {
        let keep = try RowFilter(parsing: "bestuurslaag = gemeente, provincie")
        #expect(keep == RowFilter(variable: "bestuurslaag", codes: ["gemeente", "provincie"]))
        let drop = try RowFilter(parsing: "functie!=burgemeester")
        #expect(drop == RowFilter(variable: "functie", codes: ["burgemeester"], negated: true) && drop.description == "functie!=burgemeester")
        for bad in ["bestuurslaag", "=gemeente", "bestuurslaag=", "bestuurslaag=a,,b", "a==b"] {
            #expect(throws: UsageProblem.self, "\(bad)") { try RowFilter(parsing: bad) }
        }
        // != keeps valid codes only: missing codes are left out (R subset drops NA).
        #expect(drop.keeps(["burgemeester", "wethouder", "weet_niet"], missing: { $0 == "weet_niet" }) == [false, true, false])
    }

    @Test("filters narrow a specification's base filter and name it; != becomes the valid codes but these")
    func filteredSpec() throws {
        let codebook = try Codebooks.load("ambtsdragers")
        let spec = try TableSpec.adHoc(survey: "ambtsdragers", codebook: codebook, rows: ["slachtoffer"], by: ["geslacht"],
                                       filters: [try RowFilter(parsing: "bestuurslaag!=waterschap"), try RowFilter(parsing: "bestuurslaag=gemeente,waterschap")])
        #expect(spec.base.filter == ["bestuurslaag": ["gemeente"]])
        #expect(spec.base.label == "politieke ambtsdragers (selectie: bestuurslaag!=waterschap; bestuurslaag=gemeente,waterschap)")
        #expect(spec.columns == [.init(by: nil), .init(by: "geslacht")] && spec.key == "Tadhoc" && spec.family == .context)
        #expect(throws: UsageProblem.self) { try RowFilter(parsing: "bestuurslaag=gemeentes").allowedCodes(in: codebook) }
        #expect(throws: DataError.self) { try TableSpec.adHoc(survey: "ambtsdragers", codebook: codebook, rows: ["geen_variabele"]) }
    }

    @Test("the survey: --survey, then the map's survey:, then the codebook that recognises the columns")
    func inference() throws {
        let header = try CSVReader().readHeader(.file(Fixtures.data("monitor-2024-medewerkers.csv")))
        #expect(try SurveyInference.infer(given: nil, map: nil, header: header)?.survey == "medewerkers")
        #expect(try SurveyInference.infer(given: "ambtsdragers", map: nil, header: header)?.reason == .given)
        let fixture = try CSVReader().readHeader(.file(Fixtures.path("monitor/fixture.csv")))
        #expect(try SurveyInference.infer(given: nil, map: nil, header: fixture) == nil)
        #expect(try SurveyInference.infer(given: nil, map: nil, header: fixture, loose: true)?.survey == "ambtsdragers")
        let map = try ExportMap.load(path: Fixtures.data("maps/example-spss-export.yaml"))
        let export = try CSVReader().readHeader(.file(Fixtures.data("examples/ambtsdragers-spss-export.csv")))
        #expect(try SurveyInference.infer(given: nil, map: map, header: export)?.reason == .map)
        var unnamed = map
        unnamed.survey = nil
        #expect(try SurveyInference.infer(given: nil, map: unnamed, header: export)?.survey == "ambtsdragers")
    }

    @Test("the pipeline: default scheme on a survey file, a filter as a domain of the full design, canonical names after a map")
    func prepare() throws {
        let file = InputSource.file(Fixtures.data("monitor-2024-ambtsdragers.csv"))
        let data = try AnalysisPipeline.prepare(AnalysisRequest(source: file, variables: ["slachtoffer", "geslacht"],
                                                                filters: [RowFilter(variable: "bestuurslaag", codes: ["gemeente"])]))
        #expect(data.defaultScheme && data.declaration.scheme == "ambtsdragers" && data.design.rowCount == 1082)
        #expect(data.table.columns.count < 10)  // only the columns behind slachtoffer, geslacht, the filter and the scheme
        let groups = try data.groups("geslacht")
        let outside = data.domain!.enumerated().filter { !$0.element }.map(\.offset)
        #expect(!outside.isEmpty && outside.allSatisfy { groups.codes[$0] == -1 })
        #expect(data.label("geslacht", code: "vrouw") == "Vrouwen" && data.label("geslacht", code: "") == nil)
        let unweighted = try AnalysisPipeline.prepare(AnalysisRequest(source: file, variables: ["slachtoffer"], unweighted: true))
        #expect(!unweighted.defaultScheme && unweighted.declaration.scheme == nil)

        let map = try ExportMap.load(path: Fixtures.data("maps/example-spss-export.yaml"))
        let export = try AnalysisPipeline.prepare(AnalysisRequest(
            source: .file(Fixtures.data("examples/ambtsdragers-spss-export.csv")), csv: CSVOptions(), map: map, variables: ["slachtoffer"],
            filters: [RowFilter(variable: "functie", codes: ["raadslid"])],
            design: DesignDeclaration(strata: "bestuurslaag", cellColumns: ["bestuurslaag", "functie"],
                                      frame: Fixtures.data("frames/ambtsdragers-2024-uitgenodigd.csv"))))
        #expect(export.survey == "ambtsdragers" && !export.defaultScheme && export.design.rowCount == 30)
        #expect(export.designLine.hasPrefix("postStratify(svydesign(ids=~1, strata=~bestuurslaag), ~bestuurslaag+functie"))
    }
}
