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
    /// With `specs`, only the columns those tables need are read and checked (their variables, the
    /// variables these are derived from, and the weighting's); without, every codebook column.
    static func load(survey: String, source: InputSource, input: InputOptions, weight: String?, scheme: String?,
                     thresholds: ReportingThresholds, alpha: Double, groupTest: GroupTest = .raoScott, quiet: Bool,
                     specs: [TableSpec]? = nil) throws -> SurveyTables {
        let codebook = try BundledData.codebook(survey)
        let declaration = DesignDeclaration(weight: weight, scheme: weight == nil ? (scheme ?? survey) : nil)
        let schemeFrames = try declaration.scheme.map { try SchemeLocator.load($0) }
        let map = try input.exportMap()
        let builder = DatasetBuilder(codebook: codebook, map: map)
        let reader = CSVReader(options: try input.csvOptions(), progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet))
        var selection = ColumnSelection.all
        var variables: Set<String>?
        if let specs, source != .standardInput {
            var needed = codebook.sources(of: specs.reduce(into: Set<String>()) { $0.formUnion($1.variables) })
            if let (s, frames) = schemeFrames { needed.formUnion(Weigher(scheme: s, frames: frames).variables) }
            let header = try reader.readHeader(source)
            var columns = builder.selection(header: header, variables: codebook.variables.map(\.name).filter { needed.contains($0) })
            if let weight, case .named(let names, let required) = columns {
                columns = .named(names + [weight], required: required.union([weight]))
            }
            selection = columns
            variables = needed
        }
        Trace.mark("header and columns")
        let table = try reader.read(source, columns: selection)
        try table.requireRows()
        Trace.mark("read \(table.columns.count) of \(table.header.count) columns")
        let (dataset, report) = builder.build(table, variables: variables)
        Trace.mark("dataset built")
        if !report.isValid { throw report.errors() }
        let design = try AnalysisInput.buildDesign(table: table, declaration: declaration, scheme: schemeFrames, map: map)
        Trace.mark("weighted")
        var engine = TableEngine(dataset: dataset, design: design, codebook: codebook, thresholds: thresholds, alpha: alpha)
        engine.fileColumns = table.header
        engine.groupTest = groupTest
        let note = "\(source.displayName): \(NumberFormat.grouped(table.rowCount)) rows read, \(NumberFormat.grouped(table.rowCount - report.rowsWithInvalid)) used, \(NumberFormat.grouped(report.rowsWithInvalid)) rejected"
        return SurveyTables(engine: engine, readNote: note, designSummary: design.summary)
    }

    /// The respondent file of each survey to tabulate: FILE (its survey given, or the codebook that knows most of
    /// its columns), or the bundled file of every survey with a selected table. FILE is read more than once (its
    /// header, then its columns): standard input, a pipe or a FIFO is buffered once (remove it with `removeBuffer()`).
    static func sources(file: String?, survey: String?, selected: [TableSpec], input: InputOptions) throws -> [(survey: String, source: InputSource)] {
        if let file {
            let source = try InputSource(argument: file).rereadable()
            if let survey { return [(survey, source)] }
            let header: Set<String>
            do {
                header = Set(try CSVReader(options: try input.csvOptions()).readHeader(source))
            } catch {
                source.removeBuffer()
                throw error
            }
            var best: (String, Int)?
            for name in ["ambtsdragers", "medewerkers"] {
                let known = try BundledData.codebook(name).variables.filter { header.contains($0.name) }.count
                if known > (best?.1 ?? 0) { best = (name, known) }
            }
            guard let best else {
                source.removeBuffer()
                throw UsageError("cannot tell the survey from the columns of \(file): use --survey")
            }
            return [(best.0, source)]
        }
        var out: [(survey: String, source: InputSource)] = []
        for name in ["ambtsdragers", "medewerkers"] where selected.contains(where: { $0.survey == name }) && (survey == nil || survey == name) {
            out.append((name, .file(try BundledData.respondentFile(survey: name))))
        }
        return out
    }

    /// Every table, computed on all cores (tables are independent), in the order given.
    func computeAll(_ specs: [TableSpec]) throws -> [ComputedTable] {
        let results = UnsafeResults(count: specs.count)
        DispatchQueue.concurrentPerform(iterations: specs.count) { k in
            results.store(k, Result { try compute(specs[k]) })
        }
        defer { Trace.mark("\(specs.count) tables computed") }
        return try results.values.map { try $0!.get() }
    }

    func compute(_ spec: TableSpec) throws -> ComputedTable {
        do {
            return try engine.compute(spec)
        } catch let error as DesignError {
            throw DataError(.design, SourcePosition(file: spec.file ?? spec.key), "\(spec.name): \(error.description)")
        }
    }
}

/// One slot per table, each written by exactly one worker (plain memory: no array is shared between threads).
private final class UnsafeResults: @unchecked Sendable {
    let slots: UnsafeMutablePointer<Result<ComputedTable, Error>?>
    let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func store(_ k: Int, _ r: Result<ComputedTable, Error>) { slots[k] = r }
    var values: [Result<ComputedTable, Error>?] { (0..<count).map { slots[$0] } }
}
