import Foundation

/// How to read an analysed variable that the codebook does not type.
public enum VariableKind: String, CaseIterable, Sendable {
    /// Numbers when every value is a number (a 0/1 variable is a proportion), else categories.
    case auto
    case numeric
    case categorical
}

/// What `monitor estimate` and `monitor test` analyse, as plain values: the file, how to read it, the variables
/// (canonical names), the filters and the design.
public struct AnalysisRequest: Sendable {
    public var source: InputSource
    public var csv: CSVOptions
    public var map: ExportMap?
    /// `--survey`: a survey name or codebook file (nil: from the map or the columns).
    public var survey: String?
    /// The analysed variables (the outcome and the groups).
    public var variables: [String]
    public var filters: [RowFilter]
    public var design: DesignDeclaration
    /// `--unweighted`: no scheme by default (an explicit design opts out as well).
    public var unweighted: Bool
    /// Values that mean missing in raw (non-codebook) columns, besides the empty field.
    public var missing: [String]

    public init(source: InputSource, csv: CSVOptions = CSVOptions(), map: ExportMap? = nil, survey: String? = nil, variables: [String],
                filters: [RowFilter] = [], design: DesignDeclaration = DesignDeclaration(), unweighted: Bool = false, missing: [String] = []) {
        self.source = source
        self.csv = csv
        self.map = map
        self.survey = survey
        self.variables = variables
        self.filters = filters
        self.design = design
        self.unweighted = unweighted
        self.missing = missing
    }
}

/// The one pipeline of every analysing command: read (only the columns needed) → map (export names and codes to
/// the codebook's) → derive (the codebook's derived variables) → weigh (the declared design, or by default the
/// survey's scheme) → design, with the filters as a domain. I/O happens here, not in the estimators.
public enum AnalysisPipeline {
    public static func prepare(_ request: AnalysisRequest, progress: ((Int, Int?) -> Void)? = nil,
                               mark: (String) -> Void = { _ in }) throws -> PreparedData {
        let reader = CSVReader(options: request.csv, progress: progress)
        let map = request.map
        // The header decides the survey and the columns to read: standard input, a pipe or a FIFO is buffered once.
        let source = try request.source.rereadable()
        defer { source.removeBuffer() }
        mark("start")
        let fileHeader = try reader.readHeader(source)
        let inferred = try SurveyInference.infer(given: request.survey, map: map, header: fileHeader)
        let codebook = try inferred.map { try Codebooks.load($0.survey) }
        if map != nil && codebook == nil { throw UsageProblem("--map needs --survey (or a survey: line in the mapping file)") }

        // The design: declared, or the survey's scheme unless --unweighted.
        var declaration = request.design
        let defaultScheme = !declaration.isExplicit && !request.unweighted && inferred != nil
        if defaultScheme, let survey = inferred?.survey, SurveyInference.surveys.contains(survey) { declaration.scheme = survey }
        let scheme = try declaration.scheme.map { try SchemeLocator.load($0) }

        // Columns: the codebook variables behind the analysed and filter variables (derived ones by their sources), the
        // design's columns, the scheme's cells and base weight; anything else must be a column of the file.
        let analysed = request.variables + request.filters.map(\.variable)
        var designColumns = declaration.columns
        if let (s, frames) = scheme { designColumns += frames.flatMap(\.variables) + [s.baseWeight].compactMap { $0 } }
        let canonicalHeader = Set(fileHeader.map { map?.canonicalName($0) ?? $0 })
        var codebookVariables = Set<String>()
        var rawNames: [String] = []
        if let codebook {
            let known = Set(codebook.variables.map(\.name) + (codebook.derived ?? []).map(\.name))
            codebookVariables = codebook.sources(of: Set(analysed.filter { known.contains($0) }))
            for name in analysed where !known.contains(name) && !rawNames.contains(name) { rawNames.append(name) }
        } else {
            for name in analysed where !rawNames.contains(name) { rawNames.append(name) }
        }
        for name in designColumns where !rawNames.contains(name) { rawNames.append(name) }
        let absentCodebookVariables = analysed.filter { name in codebook?.variable(name) != nil && !canonicalHeader.contains(name) }
        for name in rawNames.filter({ !canonicalHeader.contains($0) }) + absentCodebookVariables {
            let hint = NameHint.hint(for: name, among: fileHeader).map { " (\($0))" } ?? ""
            let why: String
            if let codebook {
                why = codebook.variable(name) != nil
                    ? "\"\(name)\" is a variable of the \(codebook.survey) codebook but not a column of the file"
                    : "\"\(name)\" is neither a column of the file nor a variable of the \(codebook.survey) codebook"
            } else {
                why = "no such column"
            }
            throw DataError(.missingColumn, SourcePosition(file: request.source.displayName, line: 1, columnName: name), why + hint)
        }

        let exportRaw = rawNames.map { map?.exportName(for: $0, header: fileHeader) ?? $0 }
        var selection = ColumnSelection.required(exportRaw)
        if let codebook {
            let builder = DatasetBuilder(codebook: codebook, map: map)
            if case .named(let names, let required) = builder.selection(header: fileHeader,
                                                                         variables: codebook.variables.map(\.name).filter { codebookVariables.contains($0) }) {
                selection = .named(names + exportRaw.filter { !names.contains($0) }, required: required.union(exportRaw))
            }
        }
        mark("header and columns")
        var table = try reader.read(source, columns: selection)
        table.source = request.source.displayName
        try table.requireRows()
        mark("read \(table.columns.count) of \(table.header.count) columns")
        // The codebook's checks and derivations and the design's weights read the same columns independently: one
        // core each. Invalid data is reported before a design error, as one after the other would.
        let built = Slot<(Dataset, ValidationReport)>(), weighted = Slot<Result<SurveyDesign, Error>>()
        let readTable = table, variables = codebookVariables, declared = declaration
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 {
                if let codebook { built.value = DatasetBuilder(codebook: codebook, map: map).build(readTable, variables: variables) }
            } else {
                weighted.value = Result { try DesignBuilder(table: readTable, map: map).design(declared, scheme: scheme) }
            }
        }
        var dataset: Dataset?
        var rejected = 0
        if let (builtDataset, report) = built.value {
            if !report.isValid { throw report.errors() }
            rejected = report.rowsWithInvalid
            dataset = builtDataset
        }
        let design = try weighted.value!.get()
        mark("weighted")
        var data = PreparedData(table: table, map: map, survey: inferred?.survey, surveyReason: inferred?.reason, codebook: codebook,
                                dataset: dataset, design: design, declaration: declaration, defaultScheme: defaultScheme,
                                missing: Set(request.missing + [""]), rejected: rejected)
        data.domain = try data.mask(request.filters)
        return data
    }
}

/// A value written by one worker of a `concurrentPerform` and read after it.
final class Slot<T>: @unchecked Sendable {
    var value: T?
}
