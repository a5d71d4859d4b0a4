import Foundation
import MonitorCore

/// A respondent file of one survey read, weighted and ready for table specifications: what `tables` and
/// `reproduce` share.
struct SurveyTables {
    var engine: TableEngine
    /// "FILE: N rows read, N used, N rejected"
    var readNote: String
    var designSummary: String

    /// Reads `source` with the survey's codebook and weights it (`weight` column, or the scheme: default the survey's own).
    static func load(survey: String, source: InputSource, input: InputOptions, weight: String?, scheme: String?,
                     thresholds: ReportingThresholds, alpha: Double, quiet: Bool) throws -> SurveyTables {
        let codebook = try BundledData.codebook(survey)
        let reader = CSVReader(options: try input.csvOptions(), progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet))
        let table = try reader.read(source, columns: .all)
        let (dataset, report) = DatasetBuilder(codebook: codebook, map: try input.exportMap()).build(table)
        if !report.isValid { throw report.errors() }
        let declaration = DesignDeclaration(weight: weight, scheme: weight == nil ? (scheme ?? survey) : nil)
        let schemeFrames = try declaration.scheme.map { try SchemeLocator.load($0) }
        let design = try AnalysisInput.buildDesign(table: table, declaration: declaration, scheme: schemeFrames, map: try input.exportMap())
        let engine = TableEngine(dataset: dataset, design: design, codebook: codebook, thresholds: thresholds, alpha: alpha)
        let note = "\(source.displayName): \(NumberFormat.grouped(table.rowCount)) rows read, \(NumberFormat.grouped(table.rowCount - report.rowsWithInvalid)) used, \(NumberFormat.grouped(report.rowsWithInvalid)) rejected"
        return SurveyTables(engine: engine, readNote: note, designSummary: design.summary)
    }

    func compute(_ spec: TableSpec) throws -> ComputedTable {
        do {
            return try engine.compute(spec)
        } catch let error as DesignError {
            throw DataError(.design, SourcePosition(file: spec.file ?? spec.key), "\(spec.name): \(error.description)")
        }
    }
}
