import Foundation

/// A respondent file of one survey read, weighted and ready for table specifications: the pipeline of `tables`,
/// `report` and `reproduce` (the same reading, mapping, derivation and weighting as `AnalysisPipeline`).
public struct SurveyTables: Sendable {
    public var engine: TableEngine
    /// "FILE: N rows read, N used, N rejected"
    public var readNote: String
    public var designSummary: String

    /// Reads `source` with the survey's codebook and weights it (`weight` column, or the scheme: default the survey's own).
    /// With `specs`, only the columns those tables need are read and checked (their variables, the
    /// variables these are derived from, and the weighting's); without, every codebook column.
    public static func load(survey: String, source: InputSource, csv: CSVOptions, map: ExportMap?, weight: String?, scheme: String?,
                            thresholds: ReportingThresholds, alpha: Double, groupTest: GroupTest = .raoScott,
                            specs: [TableSpec]? = nil, progress: ((Int, Int?) -> Void)? = nil,
                            mark: (String) -> Void = { _ in }) throws -> SurveyTables {
        let codebook = try Codebooks.load(survey)
        let declaration = DesignDeclaration(weight: weight, scheme: weight == nil ? (scheme ?? survey) : nil)
        let schemeFrames = try declaration.scheme.map { try SchemeLocator.load($0) }
        let builder = DatasetBuilder(codebook: codebook, map: map)
        let reader = CSVReader(options: csv, progress: progress)
        var selection = ColumnSelection.all
        var variables: Set<String>?
        if let specs, source != .standardInput {
            var needed = codebook.sources(of: specs.reduce(into: Set<String>()) { $0.formUnion($1.variables) })
            if let (s, frames) = schemeFrames { needed.formUnion(Weigher(scheme: s, frames: frames).variables) }
            let header = try reader.readHeader(source)
            var columns = builder.selection(header: header, variables: codebook.variables.map(\.name).filter { needed.contains($0) })
            if let weight, case .named(let names, let required) = columns {
                let export = map?.exportName(for: weight, header: header) ?? weight
                columns = .named(names + [export], required: required.union([export]))
            }
            selection = columns
            variables = needed
        }
        mark("header and columns")
        let table = try reader.read(source, columns: selection)
        try table.requireRows()
        mark("read \(table.columns.count) of \(table.header.count) columns")
        let (dataset, report) = builder.build(table, variables: variables)
        mark("dataset built")
        if !report.isValid { throw report.errors() }
        let design = try DesignBuilder(table: table, map: map).design(declaration, scheme: schemeFrames)
        mark("weighted")
        var engine = TableEngine(dataset: dataset, design: design, codebook: codebook, thresholds: thresholds, alpha: alpha)
        engine.fileColumns = table.header
        engine.groupTest = groupTest
        let note = "\(source.displayName): \(NumberFormat.grouped(table.rowCount)) rows read, \(NumberFormat.grouped(table.rowCount - report.rowsWithInvalid)) used, \(NumberFormat.grouped(report.rowsWithInvalid)) rejected"
        return SurveyTables(engine: engine, readNote: note, designSummary: design.summary)
    }

    /// The respondent file of each survey to tabulate: FILE (its survey from --survey, the mapping file, or its
    /// columns, as `SurveyInference` decides for every command), or the bundled file of every survey with a
    /// selected table. FILE is read more than once (its header, then its columns): standard input, a pipe or a
    /// FIFO is buffered once (remove it with `removeBuffer()`).
    public static func sources(file: String?, survey: String?, selected: [TableSpec], csv: CSVOptions,
                               map: ExportMap?) throws -> [(survey: String, source: InputSource)] {
        if let file {
            let source = try InputSource(argument: file).rereadable()
            if let survey { return [(survey, source)] }
            do {
                let header = try CSVReader(options: csv).readHeader(source)
                guard let inferred = try SurveyInference.infer(given: nil, map: map, header: header, loose: true) else {
                    throw UsageProblem("cannot tell the survey from the columns of \(file): use --survey")
                }
                return [(inferred.survey, source)]
            } catch {
                source.removeBuffer()
                throw error
            }
        }
        var out: [(survey: String, source: InputSource)] = []
        for name in SurveyInference.surveys where selected.contains(where: { $0.survey == name }) && (survey == nil || survey == name) {
            out.append((name, .file(try BundledData.respondentFile(survey: name))))
        }
        return out
    }

    /// Every table, computed on all cores (tables are independent), in the order given.
    public func computeAll(_ specs: [TableSpec]) throws -> [ComputedTable] {
        let results = UnsafeResults(count: specs.count)
        DispatchQueue.concurrentPerform(iterations: specs.count) { k in
            results.store(k, Result { try compute(specs[k]) })
        }
        return try results.values.map { try $0!.get() }
    }

    public func compute(_ spec: TableSpec) throws -> ComputedTable {
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
