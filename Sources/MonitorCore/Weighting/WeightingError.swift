/// Why weights could not be computed. Commands turn these into positioned data errors.
public enum WeightingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Rows whose cell is missing or not in the frame (0-based rows, with their cell text).
    case unmatchedRows(margin: String, rows: [Int], values: [String], total: Int)
    /// A frame cell without respondents (post-stratification cannot reach its total).
    case emptyCell(margin: String, cell: String, populationTotal: Double)
    /// A cell with fewer respondents than the scheme allows.
    case smallCell(margin: String, cell: String, respondents: Int, minimum: Int)
    /// Raking stopped before every margin matched.
    case notConverged(margin: String, cell: String, target: Double, achieved: Double, iterations: Int)
    /// Base weights must be positive, finite and normal (not subnormal): `WeightLimits.isValid`.
    case invalidBaseWeight(row: Int, value: Double)
    /// Weights spanning more than `WeightLimits.largestRatio` (0-based rows of the smallest and largest).
    case weightRange(smallestRow: Int, smallest: Double, largestRow: Int, largest: Double)
    /// A computed weight that overflowed or underflowed (not a positive normal finite number).
    case weightOutOfRange(row: Int, value: Double)
    case invalidBounds(lower: Double, upper: Double)

    /// What a valid weight is, for messages.
    public static let weightRule = "weights must be positive numbers from 2.2250738585072014e-308 (smaller ones are subnormal, with too few digits) to 1.7976931348623157e308"

    public var description: String {
        switch self {
        case .unmatchedRows(let margin, _, let values, let total):
            let shown = Set(values).sorted().prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(total) respondent\(total == 1 ? "" : "s") with a \(margin) cell that is missing or not in the frame (\(shown))"
        case .emptyCell(let margin, let cell, let total):
            return "\(margin) cell \"\(cell)\" (N = \(NumberFormat.exact(total))) has no respondents: collapse it into a neighbour or drop it from the frame"
        case .smallCell(let margin, let cell, let n, let minimum):
            return "\(margin) cell \"\(cell)\" has \(n) respondent\(n == 1 ? "" : "s"), fewer than the scheme's minimum of \(minimum)"
        case .notConverged(let margin, let cell, let target, let achieved, let iterations):
            return "raking did not converge in \(iterations) iterations: margin \(margin), cell \"\(cell)\" is at \(NumberFormat.fixed(achieved, 4)) against a target of \(NumberFormat.exact(target)) (off by \(NumberFormat.fixed(achieved - target, 4)))"
        case .invalidBaseWeight(let row, let value):
            return "base weight of data row \(row + 1) is \(value): \(WeightingError.weightRule)"
        case .weightRange(let smallestRow, let smallest, let largestRow, let largest):
            return "weights range from \(smallest) (data row \(smallestRow + 1)) to \(largest) (data row \(largestRow + 1)), a ratio above 1e100"
        case .weightOutOfRange(let row, let value):
            return "the weight of data row \(row + 1) comes out as \(value): the frame's counts and the base weights are too far apart for double precision"
        case .invalidBounds(let lower, let upper):
            return "trimming bounds \(lower),\(upper): need lower < upper"
        }
    }
}

/// One adjustment variable: each row's cell (an index into `labels`/`totals`, or -1 when the row is
/// outside this margin), and the population total of each cell.
public struct Margin: Sendable, Equatable {
    public var name: String
    public var labels: [String]
    public var totals: [Double]
    public var cellOfRow: [Int32]

    public init(name: String, labels: [String], totals: [Double], cellOfRow: [Int32]) {
        precondition(labels.count == totals.count)
        self.name = name
        self.labels = labels
        self.totals = totals
        self.cellOfRow = cellOfRow
    }

    /// Respondent counts per cell.
    public var respondents: [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        for c in cellOfRow where c >= 0 { counts[Int(c)] += 1 }
        return counts
    }

    /// Weighted totals per cell.
    public func weightedTotals(_ weights: [Double]) -> [Double] {
        var sums = [Double](repeating: 0, count: labels.count)
        for (i, c) in cellOfRow.enumerated() where c >= 0 { sums[Int(c)] += weights[i] }
        return sums
    }
}
