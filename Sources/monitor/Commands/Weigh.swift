import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor weigh FILE [--scheme S | --cell COLS --frame F | --margin M ...]`
    struct Weigh: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a weight column: post-stratify or rake a respondent file to a population frame.",
            discussion: """
            Writes the input's rows and columns unchanged (same bytes, same order) plus a `weight` column, and a \
            weighting report (Markdown) with per-cell N, n and weights, the Kish design effect and effective n.

            With --scheme (ambtsdragers, ambtsdragers-populatie, medewerkers, or a scheme .yaml file) the cells, \
            frames and method come from the scheme (data/schemes/). Without it, the survey is inferred from the \
            columns. Ad hoc, for any survey (as R's postStratify and rake): --cell COL[,COL...] --frame FILE \
            post-stratifies to a frame whose columns are the cell variables plus N (`*` matches any value); \
            --margin FILE (repeatable) rakes to margins.

            Examples:
              monitor weigh data/examples/ambtsdragers-example.csv --output gewogen.csv --report weging.md
              monitor weigh survey.csv --cell regio,geslacht --frame populatie.csv --scale mean1
              monitor weigh survey.csv --margin regio.csv --margin leeftijd.csv --base-weight ontwerpgewicht --trim 0.3,3
            """
        )

        @Argument(help: ArgumentHelp("The respondent CSV ('-' for standard input).", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("Weighting scheme: ambtsdragers, ambtsdragers-populatie, medewerkers, or a .yaml file.", valueName: "scheme"))
        var scheme: String?

        @Option(help: ArgumentHelp("Ad hoc post-stratification: the cell columns, comma-separated (with --frame).", valueName: "cols"))
        var cell: String?

        @Option(help: ArgumentHelp("Ad hoc post-stratification frame: the cell columns plus N.", valueName: "file"))
        var frame: String?

        @Option(help: ArgumentHelp("Ad hoc raking margin (repeatable): one or more columns plus N.", valueName: "file"))
        var margin: [String] = []

        @Option(help: ArgumentHelp("Column with base (design) weights to start from.", valueName: "col"))
        var baseWeight: String?

        @Option(help: ArgumentHelp("Trim final weights to LOW,HIGH (R trimWeights, strict).", valueName: "low,high"))
        var trim: String?

        @Option(help: "Scale of the weights: population (sum = frame total) or mean1 (mean 1).")
        var scale: WeightScale?

        @Option(help: ArgumentHelp("Name of the new column.", valueName: "name"))
        var weightName: String = "weight"

        @Option(help: ArgumentHelp("Write the weighting report (Markdown) to this file.", valueName: "file"))
        var report: String?

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if cell != nil && frame == nil || frame != nil && cell == nil { throw ValidationError("--cell and --frame go together") }
            if scheme != nil && (cell != nil || !margin.isEmpty) { throw ValidationError("use --scheme or --cell/--frame or --margin, not both") }
            if cell != nil && !margin.isEmpty { throw ValidationError("use --cell/--frame (post-stratification) or --margin (raking), not both") }
            if report?.isEmpty == true { throw ValidationError("--report: the output path is empty: give a file name, or - for standard output") }
            if report == "-" && output.path == nil { throw ValidationError("--report - and the weighted rows would both go to standard output: give --output FILE or --report FILE") }
        }

        /// The files weigh reads: the data, the frames and margins, the map, the scheme and its frames (without
        /// --scheme or --cell/--margin, those of every bundled scheme it may choose).
        var inputs: [GuardedPath] {
            var out = GuardedPath.data(file) + GuardedPath.files(frame.map { [$0] } ?? [], option: "--frame")
                + GuardedPath.files(margin, option: "--margin") + GuardedPath.map(input)
            if let scheme { out += GuardedPath.scheme(scheme) }
            if scheme == nil && cell == nil && margin.isEmpty {
                out += SurveyInference.surveys.flatMap { GuardedPath.scheme($0, option: "the bundled scheme") }
            }
            return out
        }

        /// The report's path as an output the weighted rows may not share.
        var reportPath: [GuardedPath] {
            report.flatMap { $0 == "-" ? nil : [GuardedPath("--report", $0, isOutput: true)] } ?? []
        }

        func run() throws {
            // Both targets are checked before the work: a refused or impossible one fails now.
            try output.check(guarding: inputs + reportPath)
            if let report { try OutputWriter.check(report, option: "--report", guarding: inputs + output.guardedPath) }
            // Three reads (header, records, the copy with the new column) of the same bytes: standard input, a pipe or
            // a FIFO is copied once into a temporary file.
            let source = try InputSource(argument: file).rereadable()
            defer { source.removeBuffer() }
            let displayName = source.displayName
            let options = try input.csvOptions()
            let map = try input.exportMap()
            let reader = CSVReader(options: options, progress: Terminal.progress(label: "reading \(displayName)", quiet: output.quiet))
            let rawHeader = try reader.readHeader(source)
            let header = rawHeader.map { map?.canonicalName($0) ?? $0 }
            if header.contains(weightName) {
                throw UsageError("the file already has a column \"\(weightName)\"; choose another name with --weight-name")
            }
            let candidates = try resolveScheme(header: header, inferred: try SurveyInference.infer(given: nil, map: map, header: rawHeader)?.survey)
            // Read the columns every candidate scheme needs (usually one scheme), once.
            var needed: [String] = []
            for (s, frames) in candidates {
                for v in frames.flatMap(\.variables) + [s.baseWeight].compactMap({ $0 }) where !needed.contains(v) { needed.append(v) }
            }
            let exportNames = needed.map { map?.exportName(for: $0, header: rawHeader) ?? $0 }
            var table = try reader.read(source, columns: candidates.count == 1 ? .required(exportNames) : .named(exportNames, required: []))
            table.source = displayName
            try table.requireRows()
            var values: [String: [String]] = [:]
            for (name, export) in zip(needed, exportNames) {
                guard let column = table.column(named: export) else { continue }
                values[name] = (0..<table.rowCount).map {
                    let text = column[$0].trimmingSpaces()
                    return map?.canonicalValue(text, variable: name, type: .categorical) ?? text
                }
            }
            // Several schemes fit the columns: keep those whose frames hold every respondent, then the one
            // whose survey's codebook knows most of the file's columns.
            var fitting = candidates.count == 1 ? candidates : candidates.filter { _, frames in
                frames.allSatisfy { frame in
                    frame.margin(name: "", columns: frame.variables.map { values[$0]! }, rowCount: table.rowCount).cellOfRow.allSatisfy { $0 >= 0 }
                }
            }
            if fitting.count > 1 {
                let known = try fitting.map { s, _ -> Int in
                    guard let survey = s.survey else { return 0 }
                    let names = Set(try BundledData.codebook(survey).variables.map(\.name))
                    return header.filter { names.contains($0) }.count
                }
                let best = known.max()!
                if known.filter({ $0 == best }).count == 1 { fitting = [fitting[known.firstIndex(of: best)!]] }
            }
            guard fitting.count == 1 else {
                throw UsageError(fitting.isEmpty
                    ? "no weighting scheme's frame holds every respondent (\(candidates.map(\.0.name).joined(separator: ", "))): choose one with --scheme to see which rows do not fit"
                    : "the data fit several schemes (\(fitting.map(\.0.name).joined(separator: ", "))): choose one with --scheme")
            }
            let (weightingScheme, frames) = fitting[0]
            let weigher = Weigher(scheme: weightingScheme, frames: frames, trim: try trimBounds())
            let base = try weightingScheme.baseWeight.map { try baseWeights(table, column: map?.exportName(for: $0, header: table.header) ?? $0) }
            let result: WeightingResult
            do {
                result = try weigher.weigh(values: values, base: base, rowCount: table.rowCount)
            } catch {
                let baseColumn = weightingScheme.baseWeight.flatMap { table.column(named: map?.exportName(for: $0, header: table.header) ?? $0) }
                throw positioned(error, table: table, frames: frames, baseColumn: baseColumn)
            }

            if SAVFile.isSAV(source) {
                try writeSAV(from: source, weights: result.weights, scheme: weightingScheme, frames: frames,
                             guarding: inputs + reportPath)
            } else {
                let formatted = result.weights.map { w -> String in
                    let text = NumberFormat.exact(w)
                    return table.dialect.decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
                }
                let out = try output.writer(guarding: inputs + reportPath)
                let written = try ColumnAppender(delimiter: table.dialect.delimiter).append(from: source, name: weightName, values: formatted) { try out.write($0) }
                guard written == table.rowCount else {
                    throw DataError(.io, SourcePosition(file: displayName), "wrote \(written) records but read \(table.rowCount)")
                }
                try out.commit()
            }
            let text = WeightingReport.render(result, scheme: weightingScheme, frames: frames, source: displayName, rowsRead: table.rowCount)
            if let report {
                try OutputWriter.write(Data(text.utf8), to: report, option: "--report", guarding: inputs + output.guardedPath)
            }
            let d = result.diagnostics
            Terminal.note("\(NumberFormat.grouped(table.rowCount)) rows read, \(NumberFormat.grouped(result.weights.count)) weighted, 0 rejected; scheme \(weightingScheme.name); Kish deff \(NumberFormat.fixed(d.kishDesignEffect, 3)), effective n \(NumberFormat.fixed(d.effectiveSampleSize, 1))", quiet: output.quiet)
        }

        /// The scheme and its frames: ad hoc, named, or inferred from the columns.
        /// `inferred`: the survey as every command infers it (the mapping file's `survey:`, or the columns the codebook
        /// recognises): its scheme is the candidate; without one, every bundled scheme whose cells are columns.
        func resolveScheme(header: [String], inferred: String?) throws -> [(WeightingScheme, [Frame])] {
            let reader = CSVReader()
            if let cell, let frame {
                let loaded = try Frame.load(path: frame, reader: reader)
                let cells = cell.split(separator: ",").map { String($0).trimmingSpaces() }
                guard loaded.variables == cells else {
                    throw UsageError("--frame \(frame) has cell columns \(loaded.variables.joined(separator: ",")), but --cell is \(cells.joined(separator: ","))")
                }
                var s = WeightingScheme(name: "ad hoc post-stratification", method: .poststratify, cells: cells, frame: frame,
                                        baseWeight: baseWeight, scale: scale)
                s.source = frame
                return [(s, [loaded])]
            }
            if !margin.isEmpty {
                let frames = try margin.map { try Frame.load(path: $0, reader: reader) }
                let s = WeightingScheme(name: "ad hoc raking", method: .rake, margins: margin.map { .init(frame: $0) },
                                        baseWeight: baseWeight, scale: scale)
                return [(s, frames)]
            }
            let candidates = scheme.map { [$0] } ?? inferred.flatMap { SurveyInference.surveys.contains($0) ? [$0] : nil } ?? SurveyInference.surveys
            var usable: [(WeightingScheme, [Frame])] = []
            for name in candidates {
                let (path, base) = try SchemeLocator.schemePath(name)
                var s = try WeightingScheme.load(path: path)
                if let baseWeight { s.baseWeight = baseWeight }
                if let scale { s.scale = scale }
                let frames = try s.frameFiles.map { file -> Frame in
                    var frame = try Frame.load(path: SchemeLocator.framePath(file, schemeFolder: base), reader: reader)
                    frame.source = file  // as the scheme names it (relative to data/ for bundled schemes)
                    return frame
                }
                let needed = Set(frames.flatMap(\.variables))
                if scheme != nil || needed.isSubset(of: Set(header)) { usable.append((s, frames)) }
            }
            guard !usable.isEmpty else {
                throw UsageError("cannot tell which survey this is from its columns: use --scheme (ambtsdragers, medewerkers or a file) or --cell/--frame")
            }
            return usable
        }

        func trimBounds() throws -> (lower: Double, upper: Double, strict: Bool)? {
            guard let trim else { return nil }
            let parts = trim.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
                throw UsageError("--trim takes LOW,HIGH with LOW < HIGH, e.g. --trim 0.3,3")
            }
            return (low, high, true)
        }

        func baseWeights(_ table: RawTable, column name: String) throws -> [Double] {
            guard let column = table.column(named: name) else {
                throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), "base weight column not in the header")
            }
            var errors: [DataError] = []
            var weights = [Double](repeating: .nan, count: table.rowCount)
            for row in 0..<table.rowCount {
                if let w = NumberParsing.parse(column[row], decimalComma: table.dialect.decimalComma), WeightLimits.isValid(w) {
                    weights[row] = w
                } else {
                    errors.append(DataError(.invalidValue, table.position(row: row, column: column, value: column[row]),
                                            "base \(WeightingError.weightRule)"))
                }
            }
            if !errors.isEmpty { throw DataErrors(errors: Array(errors.prefix(DataErrors.shownLimit)), total: errors.count) }
            return weights
        }

        /// A weighting error with the rows it concerns turned into file positions.
        func positioned(_ error: WeightingError, table: RawTable, frames: [Frame], baseColumn: RawTextColumn?) -> Error {
            let position = SourcePosition(file: table.source)
            switch error {
            case .unmatchedRows(let margin, let rows, let values, let total):
                let errors = zip(rows, values).map { row, value in
                    DataError(.frame, table.position(row: row, value: value),
                              "respondent's \(margin) cell is missing or not in the frame (\(frames.map(\.source).joined(separator: ", ")))")
                }
                return DataErrors(errors: errors, total: total)
            case .invalidBaseWeight(let row, let value):
                return DataError(.invalidValue, table.position(row: row, value: "\(value)"), "base \(WeightingError.weightRule)")
            case .weightRange(let low, _, let high, _):
                return DataError(.invalidValue, table.position(row: low, column: baseColumn, value: baseColumn?[low]),
                                 "the smallest base weight; the largest, \(baseColumn?[high] ?? "") on line \(table.lineIndex.line(ofRecord: high)), is more than 1e100 times larger: weights that far apart overflow")
            case .weightOutOfRange(let row, let value):
                return DataError(.frame, table.position(row: row),
                                 "the weight comes out as \(value): the frame's counts and the base weights are too far apart for double precision")
            default:
                return DataError(.frame, position, error.description)
            }
        }
    }
}

extension WeightScale: ExpressibleByArgument {}
