/// A description of one column of any CSV file (as `xsv stats` gives): inferred type, filled and
/// empty counts, distinct values, numeric range and mean, most frequent values.
public struct ColumnProfile: Sendable, Equatable {
    public enum InferredType: String, Sendable { case empty, integer, number, categorical, text }

    public var name: String
    public var position: Int
    public var type: InferredType
    public var filled: Int
    public var empty: Int
    public var distinct: Int
    public var minimum: Double?
    public var maximum: Double?
    public var mean: Double?
    /// Most frequent non-empty values with counts, most frequent first (ties by value).
    public var top: [ValueCount]

    public struct ValueCount: Sendable, Equatable {
        public var value: String
        public var count: Int
    }

    /// Columns with at most this many distinct values (and repetition) are called categorical.
    public static let categoricalLimit = 50

    public static func profile(_ column: RawTextColumn, decimalComma: Bool, topCount: Int = 5) -> ColumnProfile {
        var counts = [Int](repeating: 0, count: column.values.count)
        for row in 0..<column.codes.count { counts[column.codes[row]] += 1 }
        var empty = 0, filled = 0, distinct = 0
        var allNumeric = true, allInteger = true
        var numbers = [Double?](repeating: nil, count: column.values.count)
        for (k, value) in column.values.enumerated() where counts[k] > 0 {
            if value.trimmingSpaces().isEmpty { empty += counts[k]; continue }
            filled += counts[k]
            distinct += 1
            if let x = NumberParsing.parse(value, decimalComma: decimalComma) {
                numbers[k] = x
                if x.rounded() != x || value.contains(".") || value.contains(",") { allInteger = false }
            } else {
                allNumeric = false
            }
        }
        var profile = ColumnProfile(name: column.name, position: column.position, type: .text, filled: filled, empty: empty,
                                    distinct: distinct, top: [])
        if filled == 0 {
            profile.type = .empty
        } else if allNumeric {
            profile.type = allInteger ? .integer : .number
            var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
            for (k, x) in numbers.enumerated() {
                guard let x else { continue }
                sum += x * Double(counts[k])
                lo = min(lo, x)
                hi = max(hi, x)
            }
            profile.minimum = lo
            profile.maximum = hi
            profile.mean = sum / Double(filled)
        } else if distinct <= categoricalLimit && distinct < filled {
            profile.type = .categorical
        }
        let ranked = column.values.indices
            .filter { counts[$0] > 0 && !column.values[$0].trimmingSpaces().isEmpty }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : column.values[$0] < column.values[$1] }
        profile.top = ranked.prefix(topCount).map { ValueCount(value: column.values[$0], count: counts[$0]) }
        return profile
    }
}
