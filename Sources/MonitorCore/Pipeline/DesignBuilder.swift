import Foundation

/// Builds the survey design of a read file from a declaration and an optional weighting scheme: weights, strata,
/// clusters and fpc as declared, then post-stratification (`cellColumns`/`frame`) or the scheme's weighting.
/// Each column is converted once per distinct value (its dictionary entry), never once per row.
public struct DesignBuilder {
    public var table: RawTable
    public var map: ExportMap?

    public init(table: RawTable, map: ExportMap?) {
        self.table = table
        self.map = map
    }

    /// The file's column of a canonical variable (the export column a mapping file renames to it).
    public func column(_ name: String) -> RawTextColumn? {
        table.column(named: map?.exportName(for: name, header: table.header) ?? name)
    }

    func requiredColumn(_ name: String) throws -> RawTextColumn {
        guard let c = column(name) else {
            throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name), "design column not in the header")
        }
        return c
    }

    /// A column as its distinct values (trimmed, recoded by the map) and each row's index into them.
    public func coded(_ name: String) throws -> CodedColumn {
        let c = try requiredColumn(name)
        let values = c.values.map { value -> String in
            let text = value.trimmingSpaces()
            return map?.canonicalValue(text, variable: name, type: .categorical) ?? text
        }
        return CodedColumn(values: values, codes: Self.codes(c.codes))
    }

    /// A design column (strata, clusters) as a grouping in order of first appearance, empty values missing.
    func grouping(_ name: String) throws -> Grouping {
        let c = try coded(name)
        // Number the distinct values in order of first appearance among the rows, as Grouping(values:) does.
        var order = [Int32](repeating: -2, count: c.values.count)
        var labels: [String] = []
        var codes = [Int32](repeating: -1, count: c.codes.count)
        for row in 0..<c.codes.count {
            let v = Int(c.codes[row])
            if order[v] == -2 {
                if c.values[v].isEmpty {
                    order[v] = -1
                } else {
                    order[v] = Int32(labels.count)
                    labels.append(c.values[v])
                }
            }
            codes[row] = order[v]
        }
        return Grouping(labels: labels, codes: codes)
    }

    /// Positive numbers (weights, fpc), each distinct value parsed once; every row with another value is an error.
    /// `problem` names a number out of range (`WeightLimits`: a subnormal weight, a count past 2^53).
    func numbers(_ name: String, what: String, problem: (Double) -> String? = { _ in nil }) throws -> [Double] {
        let c = try requiredColumn(name)
        var messages = [String?](repeating: nil, count: c.values.count)
        let parsed = c.values.enumerated().map { k, text -> Double in
            guard let v = NumberParsing.parse(text.trimmingSpaces(), decimalComma: table.dialect.decimalComma), v > 0, v.isFinite else {
                messages[k] = "\(what) must be a positive number"
                return .nan
            }
            if let message = problem(v) { messages[k] = message; return .nan }
            return v
        }
        let out = c.codes.mappedDouble(parsed)
        if parsed.contains(where: \.isNaN) {
            let messageOf = c.codes.mappedDouble(parsed.indices.map { Double($0) })
            var errors: [DataError] = []
            for row in 0..<table.rowCount where out[row].isNaN {
                let message = messages[Int(messageOf[row])] ?? "\(what) must be a positive number"
                errors.append(DataError(.invalidValue, table.position(row: row, column: c, value: c[row]), message))
            }
            throw DataErrors(errors: Array(errors.prefix(DataErrors.shownLimit)), total: errors.count)
        }
        return out
    }

    static func codes(_ v: CodeVector) -> [UInt32] {
        switch v {
        case .uint8(let a): return a.map { UInt32($0) }
        case .uint16(let a): return a.map { UInt32($0) }
        case .uint32(let a): return a
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

    /// The design: declared weights (or the scheme's base weight), strata, clusters and fpc, then the
    /// post-stratification or the scheme's weighting, with the variances allowing for it.
    public func design(_ options: DesignDeclaration, scheme: (WeightingScheme, [Frame])?) throws -> SurveyDesign {
        let baseName = options.weight ?? scheme?.0.baseWeight
        let weights = try baseName.map {
            try normalized(try numbers($0, what: "weights") { WeightLimits.isValid($0) ? nil : WeightingError.weightRule }, column: $0)
        }
        // One fpc column per stage (R fpc=~N1+N2), one cluster column per stage (R ids=~psu+ssu).
        let fpc = options.fpc.isEmpty ? nil : try options.fpc.map {
            try numbers($0, what: "the finite population correction", problem: WeightLimits.countProblem)
        }
        let strata = try options.strata.map { try grouping($0) }
        let stages = try options.clusters.map { try grouping($0) }
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
                throw UsageProblem("--frame \(frameFile) has cell columns \(frame.variables.joined(separator: ",")), but --cell is \(options.cellColumns.joined(separator: ","))")
            }
            let margin = frame.margin(name: frame.variables.joined(separator: " x "), coded: try options.cellColumns.map { try coded($0) },
                                      rowCount: table.rowCount)
            do {
                let w = try WeightLimits.normalized(try PostStratification.weights(base: design.weights, margin: margin))
                design = design.calibrated(weights: w, step: .postStratification(.init(cells: margin.cellOfRow, cellCount: margin.labels.count, weights: w)))
            } catch {
                throw weightingError(error, frames: [frameFile])
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
                throw weightingError(error, frames: frames.map(\.source))
            }
        }
        return design
    }

    func weightingError(_ error: WeightingError, frames: [String]) -> Error {
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

    /// Weights rescaled by a power of two (exact; estimates depend only on their ratios) so that their sums cannot
    /// overflow; weights more than 1e100 apart are an error at the smallest.
    func normalized(_ w: [Double], column name: String) throws -> [Double] {
        do {
            return try WeightLimits.normalized(w)
        } catch {
            if case .weightRange(let low, _, let high, _) = error, let c = try? requiredColumn(name) {
                throw DataError(.invalidValue, table.position(row: low, column: c, value: c[low]),
                                "the smallest weight; the largest, \(c[high]) on line \(table.lineIndex.line(ofRecord: high)), is more than 1e100 times larger: weights that far apart overflow")
            }
            throw weightingError(error, frames: [])
        }
    }
}

extension RawTable {
    /// Estimates, tests, weights and tables need respondents: a file with a header and no rows is a data error
    /// (where a profile of it, `monitor describe`, is not).
    public func requireRows() throws {
        if rowCount == 0 {
            throw DataError(.emptyFile, SourcePosition(file: source, line: 1), "no rows: the file has a header line but no data rows")
        }
    }
}
