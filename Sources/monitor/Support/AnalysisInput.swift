import Foundation
import MonitorCore

/// How to read the analysed variable.
enum VariableKind: String, CaseIterable {
    /// Numbers when every value is a number (a 0/1 variable is a proportion), else categories.
    case auto
    case numeric
    case categorical
}

/// A respondent file read for analysis: the design and the analysed variables, with file positions for
/// every error (from the codebook with --survey, else from the raw columns).
struct AnalysisInput {
    var table: RawTable
    var dataset: Dataset?
    var design: SurveyDesign
    var missing: Set<String>

    static func load(file: String, survey: String?, variables: [String], designOptions: DesignOptions, input: InputOptions,
                     missing: [String], quiet: Bool) throws -> AnalysisInput {
        let source = InputSource(argument: file)
        let reader = CSVReader(options: try input.csvOptions(),
                               progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet))
        let map = try input.exportMap()
        var scheme: (WeightingScheme, [Frame])?
        if let name = designOptions.scheme { scheme = try SchemeLocator.load(name) }
        var needed = designOptions.columns
        if let (s, frames) = scheme {
            needed += frames.flatMap(\.variables) + [s.baseWeight].compactMap { $0 }
        }
        let surveyName = survey ?? map?.survey
        var table: RawTable
        var dataset: Dataset?
        if let surveyName {
            let codebook = try BundledData.codebook(surveyName)
            table = try reader.read(source, columns: .all)
            try table.requireRows()
            let (built, report) = DatasetBuilder(codebook: codebook, map: map).build(table)
            if !report.isValid { throw report.errors() }
            dataset = built
            // Variables the codebook does not know must be raw columns.
            let unknown = variables.filter { built[$0] == nil }
            for name in unknown + needed where table.column(named: name) == nil {
                let hint = NameHint.hint(for: name, among: table.header).map { " (\($0))" } ?? ""
                throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name),
                                (codebook.variable(name) != nil
                                    ? "\"\(name)\" is a variable of the \(surveyName) codebook but not a column of the file"
                                    : "\"\(name)\" is neither a column of the file nor a variable of the \(surveyName) codebook") + hint)
            }
        } else {
            if map != nil { throw UsageError("--map needs --survey (or a survey: line in the mapping file)") }
            var names: [String] = []
            for name in variables + needed where !names.contains(name) { names.append(name) }
            table = try reader.read(source, columns: .required(names))
        }
        try table.requireRows()
        let design = try buildDesign(table: table, declaration: designOptions.declaration, scheme: scheme, map: map)
        return AnalysisInput(table: table, dataset: dataset, design: design, missing: Set(missing + [""]))
    }

    /// The file, design, analysed variable and groups of `monitor estimate` / `monitor test`.
    static func load(file: String, analysis: AnalysisOptions, designOptions: DesignOptions, input: InputOptions,
                     quiet: Bool) throws -> (AnalysisInput, Outcome, Grouping?) {
        let data = try load(file: file, survey: analysis.survey, variables: [analysis.variable] + [analysis.by].compactMap { $0 },
                            designOptions: designOptions, input: input, missing: analysis.missing, quiet: quiet)
        return (data, try data.outcome(analysis.variable, kind: analysis.kind), try analysis.by.map { try data.groups($0) })
    }

    // MARK: variables

    /// The analysed variable: from the codebook (its missing codes, its level order) or the raw column.
    func outcome(_ name: String, kind: VariableKind) throws -> Outcome {
        if let dataset, let column = dataset[name] {
            switch column {
            case .numeric(let y):
                return kind == .categorical ? .categorical(rawGrouping(y.map { $0.isNaN ? "" : NumberFormat.exact($0) })) : .numeric(y)
            case .categorical(let c):
                let observed = c.levels.filter { !$0.isMissing }
                let numericCodes = observed.allSatisfy { Double($0.code) != nil }
                if kind == .numeric || (kind == .auto && numericCodes && observed.allSatisfy { $0.code == "0" || $0.code == "1" }) {
                    return .numeric(dataset.numeric(name)!)
                }
                return .categorical(grouping(c))
            case .text(let t):
                return try outcomeFromText(name, column: t, kind: kind)
            }
        }
        guard let column = table.column(named: name) else {
            throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), "no such column")
        }
        return try outcomeFromText(name, column: column, kind: kind)
    }

    /// The grouping variable, with groups that have no respondents left out (as R's `svyby`).
    func groups(_ name: String) throws -> Grouping {
        let g: Grouping
        if let dataset, let column = dataset[name] {
            switch column {
            case .categorical(let c): g = grouping(c)
            case .numeric(let y): g = rawGrouping(y.map { $0.isNaN ? "" : NumberFormat.exact($0) })
            case .text(let t): g = rawGrouping((0..<table.rowCount).map { t[$0].trimmingSpaces() })
            }
        } else {
            guard let column = table.column(named: name) else {
                throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), "no such column")
            }
            g = rawGrouping((0..<table.rowCount).map { column[$0].trimmingSpaces() })
        }
        let counts = g.counts
        let kept = g.labels.indices.filter { counts[$0] > 0 }
        var map = [Int32](repeating: -1, count: g.count)
        for (new, old) in kept.enumerated() { map[old] = Int32(new) }
        return Grouping(labels: kept.map { g.labels[$0] }, codes: g.codes.map { $0 < 0 ? -1 : map[Int($0)] })
    }

    private func grouping(_ c: CategoricalColumn) -> Grouping {
        var map = [Int32](repeating: -1, count: c.levels.count)
        var labels: [String] = []
        for (i, level) in c.levels.enumerated() where !level.isMissing && !missing.contains(level.code) {
            map[i] = Int32(labels.count)
            labels.append(level.code)
        }
        return Grouping(labels: labels, codes: c.codes.map { map[Int($0)] })
    }

    /// Categories of raw text in R's factor order: numerically if every label is a number, else sorted.
    private func rawGrouping(_ values: [String]) -> Grouping {
        let g = Grouping(values: values, missing: missing)
        let numbers = g.labels.compactMap { Double($0) }
        if numbers.count == g.labels.count {
            return g.reordered(g.labels.sorted { Double($0)! < Double($1)! })
        }
        return g.sortedLabels()
    }

    private func outcomeFromText(_ name: String, column: RawTextColumn, kind: VariableKind) throws -> Outcome {
        let texts = (0..<table.rowCount).map { column[$0].trimmingSpaces() }
        if kind == .categorical { return .categorical(rawGrouping(texts)) }
        var y = [Double](repeating: .nan, count: texts.count)
        var errors: [DataError] = []
        for (row, text) in texts.enumerated() where !missing.contains(text) {
            if let v = NumberParsing.parse(text, decimalComma: table.dialect.decimalComma) {
                y[row] = v
            } else if kind == .numeric {
                errors.append(DataError(.invalidValue, table.position(row: row, column: column, value: text),
                                        "\(name) must be a number (or a missing code given with --missing)"))
            } else {
                return .categorical(rawGrouping(texts))
            }
        }
        if !errors.isEmpty { throw DataErrors(errors: Array(errors.prefix(DataErrors.shownLimit)), total: errors.count) }
        return .numeric(y)
    }

    // MARK: design

    static func buildDesign(table: RawTable, declaration options: DesignDeclaration, scheme: (WeightingScheme, [Frame])?, map: ExportMap?) throws -> SurveyDesign {
        func column(_ name: String) throws -> RawTextColumn {
            let export = map?.exportName(for: name, header: table.header) ?? name
            guard let c = table.column(named: export) else {
                throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), "design column not in the header")
            }
            return c
        }
        func texts(_ name: String) throws -> [String] {
            let c = try column(name)
            return (0..<table.rowCount).map {
                let text = c[$0].trimmingSpaces()
                return map?.canonicalValue(text, variable: name, type: .categorical) ?? text
            }
        }
        /// `texts` as distinct values and row codes (each distinct value trimmed and mapped once).
        func coded(_ name: String) throws -> CodedColumn {
            let c = try column(name)
            let values = c.values.map { value -> String in
                let text = value.trimmingSpaces()
                return map?.canonicalValue(text, variable: name, type: .categorical) ?? text
            }
            return CodedColumn(values: values, codes: (0..<c.codes.count).map { UInt32(c.codes[$0]) })
        }
        /// Positive numbers of a column; `problem` names a number out of range (WeightLimits).
        func numbers(_ name: String, what: String, problem: (Double) -> String?) throws -> [Double] {
            let c = try column(name)
            var out = [Double](repeating: .nan, count: table.rowCount)
            var errors: [DataError] = []
            for row in 0..<table.rowCount {
                if let v = NumberParsing.parse(c[row].trimmingSpaces(), decimalComma: table.dialect.decimalComma), v > 0, v.isFinite {
                    if let message = problem(v) {
                        errors.append(DataError(.invalidValue, table.position(row: row, column: c, value: c[row]), message))
                    } else {
                        out[row] = v
                    }
                } else {
                    errors.append(DataError(.invalidValue, table.position(row: row, column: c, value: c[row]), "\(what) must be a positive number"))
                }
            }
            if !errors.isEmpty { throw DataErrors(errors: Array(errors.prefix(DataErrors.shownLimit)), total: errors.count) }
            return out
        }
        /// Weights rescaled by a power of two (exact; estimates depend only on their ratios) so that their
        /// sums cannot overflow; weights more than 1e100 apart are an error at the smallest.
        func normalized(_ w: [Double], column name: String?) throws -> [Double] {
            do {
                return try WeightLimits.normalized(w)
            } catch {
                if case .weightRange(let low, _, let high, _) = error, let name, let c = try? column(name) {
                    throw DataError(.invalidValue, table.position(row: low, column: c, value: c[low]),
                                    "the smallest weight; the largest, \(c[high]) on line \(table.lineIndex.line(ofRecord: high)), is more than 1e100 times larger: weights that far apart overflow")
                }
                throw weightingError(error, margin: nil, table: table, frames: [])
            }
        }
        func positioned(_ error: DesignError) -> Error {
            switch error {
            case .invalidWeight(let row, let value):
                return DataError(.design, table.position(row: row, value: "\(value)"), error.description)
            case .missingDesignValue(_, let row), .invalidFPC(let row, _, _), .fpcVariesWithinStratum(_, _, _, let row),
                 .fpcVariesWithinCluster(_, _, _, _, let row):
                return DataError(.design, table.position(row: row), error.description)
            default:
                return DataError(.design, SourcePosition(file: table.source), error.description)
            }
        }

        let baseName = options.weight ?? scheme?.0.baseWeight
        let weights = try baseName.map {
            try normalized(try numbers($0, what: "weights") { WeightLimits.isValid($0) ? nil : WeightingError.weightRule }, column: $0)
        }
        // One fpc column per stage (R fpc=~N1+N2), one cluster column per stage (R ids=~psu+ssu).
        let fpc = options.fpc.isEmpty ? nil : try options.fpc.map {
            try numbers($0, what: "the finite population correction", problem: WeightLimits.countProblem)
        }
        let strata = try options.strata.map { Grouping(values: try texts($0)) }
        let stages = try options.clusters.map { Grouping(values: try texts($0)) }
        var design: SurveyDesign
        do {
            design = try SurveyDesign(rowCount: table.rowCount, weights: weights, strata: strata, stages: stages, fpc: fpc,
                                      lonelyPSU: options.lonelyPSU)
        } catch {
            throw positioned(error)
        }
        if let frameFile = options.frame {
            let frame = try Frame.load(path: frameFile, reader: CSVReader())
            guard frame.variables == options.cellColumns else {
                throw UsageError("--frame \(frameFile) has cell columns \(frame.variables.joined(separator: ",")), but --cell is \(options.cellColumns.joined(separator: ","))")
            }
            let margin = frame.margin(name: frame.variables.joined(separator: " x "), columns: try options.cellColumns.map { try texts($0) },
                                      rowCount: table.rowCount)
            do {
                let w = try WeightLimits.normalized(try PostStratification.weights(base: design.weights, margin: margin))
                design = design.calibrated(weights: w, step: .postStratification(.init(cells: margin.cellOfRow, cellCount: margin.labels.count, weights: w)))
            } catch {
                throw weightingError(error, margin: margin, table: table, frames: [frameFile])
            }
        }
        if let (s, frames) = scheme {
            var values: [String: CodedColumn] = [:]
            for v in Set(frames.flatMap(\.variables)) { values[v] = try coded(v) }
            do {
                let result = try Weigher(scheme: s, frames: frames).weigh(coded: values, base: weights, rowCount: table.rowCount)
                let (w, step) = try result.normalizedForDesign()
                if let step { design = design.calibrated(weights: w, step: step) }
            } catch {
                throw weightingError(error, margin: nil, table: table, frames: frames.map(\.source))
            }
        }
        return design
    }

    static func weightingError(_ error: WeightingError, margin: Margin?, table: RawTable, frames: [String]) -> Error {
        if case .unmatchedRows(let name, let rows, let values, let total) = error {
            let errors = rows.enumerated().map { k, row in
                DataError(.frame, table.position(row: row, value: k < values.count ? values[k] : nil),
                          "respondent's \(name) cell is missing or not in the frame (\(frames.joined(separator: ", ")))")
            }
            return DataErrors(errors: errors, total: total)
        }
        if case .weightOutOfRange(let row, let value) = error {
            return DataError(.frame, table.position(row: row), "the weight comes out as \(value): the frame's counts and the weights are too far apart for double precision")
        }
        return DataError(.frame, SourcePosition(file: table.source), error.description)
    }
}

extension RawTable {
    /// Estimates, tests, weights and tables need respondents: a file with a header and no rows is a data error
    /// (where a profile of it, `monitor describe`, is not).
    func requireRows() throws {
        if rowCount == 0 {
            throw DataError(.emptyFile, SourcePosition(file: source, line: 1), "no rows: the file has a header line but no data rows")
        }
    }
}
