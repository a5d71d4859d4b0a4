import Foundation

/// A weighting scheme (data file `data/schemes/*.yaml`): which variables define the cells, the frame(s)
/// to adjust to, the method, and what to do with small or unmatched cells. See docs/weighting.md.
public struct WeightingScheme: Codable, Sendable, Equatable {
    /// `none`: every respondent weighs 1 (a survey the report tabulates unweighted, such as the organisaties).
    public enum Method: String, Codable, Sendable { case poststratify, rake, none }
    public enum SmallCells: String, Codable, Sendable { case error, collapse }
    public enum Unmatched: String, Codable, Sendable {
        case error
        /// Raking only: the respondent is not adjusted on that margin.
        case excludeFromMargin = "exclude_from_margin"
    }

    public struct MarginSpec: Codable, Sendable, Equatable {
        public var frame: String
        public init(frame: String) { self.frame = frame }
    }

    public var name: String
    public var survey: String?
    public var label: String?
    public var method: Method
    public var cells: [String]?
    public var frame: String?
    public var margins: [MarginSpec]?
    public var baseWeight: String?
    public var minCellSize: Int?
    public var smallCells: SmallCells?
    public var collapse: [String: String]?
    public var unmatched: Unmatched?
    public var scale: WeightScale?
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case name, survey, label, method, cells, frame, margins, collapse, unmatched, scale, source
        case baseWeight = "base_weight", minCellSize = "min_cell_size", smallCells = "small_cells"
    }

    public init(name: String, method: Method, cells: [String]? = nil, frame: String? = nil, margins: [MarginSpec]? = nil,
                baseWeight: String? = nil, scale: WeightScale? = nil) {
        self.name = name
        self.method = method
        self.cells = cells
        self.frame = frame
        self.margins = margins
        self.baseWeight = baseWeight
        self.scale = scale
    }

    public static func load(path: String) throws -> WeightingScheme {
        let scheme = try YAMLFile.decode(WeightingScheme.self, path: path, what: "weighting scheme", kind: .frame)
        switch scheme.method {
        case .poststratify where scheme.frame == nil:
            throw DataError(.frame, SourcePosition(file: path), "method poststratify needs a frame")
        case .rake where (scheme.margins ?? []).isEmpty:
            throw DataError(.frame, SourcePosition(file: path), "method rake needs margins")
        default: break
        }
        return scheme
    }

    /// The frame files, relative to the data folder (or absolute).
    public var frameFiles: [String] {
        switch method {
        case .poststratify: return [frame].compactMap { $0 }
        case .rake: return (margins ?? []).map(\.frame)
        case .none: return []
        }
    }
}

/// The outcome of weighting: final weights and everything the report shows.
public struct WeightingResult: Sendable {
    public struct CellRow: Sendable, Equatable {
        public var label: String
        public var populationTotal: Double
        public var respondents: Int
        public var weightedTotal: Double
        /// Mean final weight in the cell (N_h / n_h for post-stratification from equal weights).
        public var meanWeight: Double
        public var collapsedInto: String?
    }

    public struct MarginReport: Sendable, Equatable {
        public var name: String
        public var cells: [CellRow]
    }

    public var weights: [Double]
    public var scale: WeightScale
    public var method: WeightingScheme.Method
    public var margins: [MarginReport]
    public var diagnostics: WeightDiagnostics
    public var iterations: Int?
    public var trimmed: (lower: Double, upper: Double)?
    public var excluded: [String: Int] = [:]
    /// The adjustment as a design calibration step (cells of every margin and the final weights), so that
    /// variances use the calibration residuals as R's `postStratify` / `rake` designs do.
    public var calibration: SurveyDesign.Calibration?
}

/// Computes weights for a scheme from respondents' cell values (no I/O: frames are passed in loaded).
public struct Weigher: Sendable {
    public var scheme: WeightingScheme
    public var frames: [Frame]
    public var trim: (lower: Double, upper: Double, strict: Bool)?

    public init(scheme: WeightingScheme, frames: [Frame], trim: (lower: Double, upper: Double, strict: Bool)? = nil) {
        self.scheme = scheme
        self.frames = frames
        self.trim = trim
    }

    /// The respondent columns the scheme needs.
    public var variables: [String] {
        var names: [String] = []
        for frame in frames { for v in frame.variables where !names.contains(v) { names.append(v) } }
        if let base = scheme.baseWeight { names.append(base) }
        return names
    }

    /// - Parameters:
    ///   - values: per variable, each row's value (after any export map).
    ///   - base: base weights, or nil for equal weights.
    public func weigh(values: [String: [String]], base: [Double]?, rowCount: Int) throws(WeightingError) -> WeightingResult {
        try weigh(coded: values.mapValues { CodedColumn($0) }, base: base, rowCount: rowCount)
    }

    /// `weigh(values:base:rowCount:)` with each variable as distinct values and row codes.
    public func weigh(coded values: [String: CodedColumn], base: [Double]?, rowCount: Int) throws(WeightingError) -> WeightingResult {
        let d = base ?? [Double](repeating: 1, count: rowCount)
        var margins: [Margin] = []
        var reports: [WeightingResult.MarginReport] = []
        var excluded: [String: Int] = [:]
        for frame in frames {
            let name = frame.variables.joined(separator: " x ")
            var margin = frame.margin(name: name, coded: frame.variables.map { values[$0]! }, rowCount: rowCount)
            let unmatched = margin.cellOfRow.indices.filter { margin.cellOfRow[$0] < 0 }
            if !unmatched.isEmpty {
                if scheme.method == .rake && scheme.unmatched == .excludeFromMargin {
                    excluded[name] = unmatched.count
                } else {
                    let texts = unmatched.map { row in frame.variables.map { values[$0]![row] }.joined(separator: "|") }
                    throw .unmatchedRows(margin: name, rows: Array(unmatched.prefix(20)), values: texts, total: unmatched.count)
                }
            }
            var collapsedInto: [String: String] = [:]
            (margin, collapsedInto) = try collapseSmallCells(margin)
            margins.append(margin)
            reports.append(WeightingResult.MarginReport(name: name, cells: margin.labels.indices.map { h in
                WeightingResult.CellRow(label: margin.labels[h], populationTotal: margin.totals[h], respondents: 0,
                                        weightedTotal: 0, meanWeight: 0, collapsedInto: nil)
            } + collapsedInto.sorted { $0.key < $1.key }.map {
                WeightingResult.CellRow(label: $0.key, populationTotal: 0, respondents: 0, weightedTotal: 0, meanWeight: 0, collapsedInto: $0.value)
            }))
        }
        var w: [Double]
        var iterations: Int?
        switch scheme.method {
        case .poststratify:
            w = try PostStratification.weights(base: d, margin: margins[0])
        case .rake:
            let result = try Raking.weights(base: d, margins: margins)
            w = result.weights
            iterations = result.iterations
        case .none:
            w = d
        }
        if let trim {
            w = try Trimming.trim(w, lower: trim.lower, upper: trim.upper, strict: trim.strict)
        }
        let scale = scheme.scale ?? .population
        w = scale.apply(w)
        try WeightLimits.checkResult(w)
        for (m, margin) in margins.enumerated() {
            let achieved = margin.weightedTotals(w)
            let n = margin.respondents
            for h in margin.labels.indices {
                reports[m].cells[h].respondents = n[h]
                reports[m].cells[h].weightedTotal = achieved[h]
                reports[m].cells[h].meanWeight = n[h] > 0 ? achieved[h] / Double(n[h]) : .nan
            }
        }
        var result = WeightingResult(weights: w, scale: scale, method: scheme.method, margins: reports,
                                     diagnostics: WeightDiagnostics(w), iterations: iterations,
                                     trimmed: trim.map { ($0.lower, $0.upper) })
        result.excluded = excluded
        let steps = margins.map { SurveyDesign.CalibrationMargin(cells: $0.cellOfRow, cellCount: $0.labels.count, weights: w) }
        switch scheme.method {
        case .poststratify: result.calibration = .postStratification(steps[0])
        case .rake: result.calibration = .raking(steps)
        case .none: result.calibration = nil
        }
        return result
    }

    /// Cells under `min_cell_size` are an error, or are merged into their named neighbour.
    func collapseSmallCells(_ margin: Margin) throws(WeightingError) -> (Margin, [String: String]) {
        let minimum = scheme.minCellSize ?? 1
        var current = margin
        var collapsed: [String: String] = [:]
        while true {
            let n = current.respondents
            guard let small = n.indices.first(where: { n[$0] < minimum }) else { return (current, collapsed) }
            let label = current.labels[small]
            guard scheme.smallCells == .collapse, let target = scheme.collapse?[label],
                  let into = current.labels.firstIndex(of: target), into != small else {
                if n[small] == 0 {
                    throw .emptyCell(margin: current.name, cell: label, populationTotal: current.totals[small])
                }
                throw .smallCell(margin: current.name, cell: label, respondents: n[small], minimum: minimum)
            }
            collapsed[label] = target
            var labels = current.labels, totals = current.totals
            totals[into] += totals[small]
            labels.remove(at: small)
            totals.remove(at: small)
            let cellOfRow = current.cellOfRow.map { c -> Int32 in
                if c < 0 { return c }
                let mapped = Int(c) == small ? into : Int(c)
                return Int32(mapped > small ? mapped - 1 : mapped)
            }
            current = Margin(name: current.name, labels: labels, totals: totals, cellOfRow: cellOfRow)
        }
    }
}
