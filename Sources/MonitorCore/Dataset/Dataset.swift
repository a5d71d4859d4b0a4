/// A level of a categorical column: the stored code, its label, and whether it counts as missing.
public struct Level: Sendable, Equatable, Hashable {
    public var code: String
    public var label: String
    public var isMissing: Bool

    public init(code: String, label: String, isMissing: Bool = false) {
        self.code = code
        self.label = label
        self.isMissing = isMissing
    }
}

/// A categorical column: one small integer code per row indexing `levels`.
public struct CategoricalColumn: Sendable, Equatable {
    public var levels: [Level]
    public var codes: LevelCodes

    public init(levels: [Level], codes: [UInt16]) {
        self.levels = levels
        self.codes = LevelCodes(codes, levelCount: levels.count)
    }

    public func level(named code: String) -> Int? { levels.firstIndex { $0.code == code } }

    /// `true` where the row holds a valid (non-missing) value.
    public func isObserved(_ row: Int) -> Bool { !levels[Int(codes[row])].isMissing }
}

/// A column of the dataset.
public enum Column: Sendable, Equatable {
    case categorical(CategoricalColumn)
    /// Numbers; NaN where missing.
    case numeric([Double])
    /// Free text or identifiers, as read.
    case text(RawTextColumn)

    public var count: Int {
        switch self {
        case .categorical(let c): return c.codes.count
        case .numeric(let v): return v.count
        case .text(let t): return t.codes.count
        }
    }
}

/// Typed columns of one respondent file, with the positions needed to point at a row.
public struct Dataset: Sendable {
    public var source: String
    public var rowCount: Int
    public var lineIndex: LineIndex
    public private(set) var names: [String] = []
    public private(set) var columns: [String: Column] = [:]

    public init(source: String, rowCount: Int, lineIndex: LineIndex) {
        self.source = source
        self.rowCount = rowCount
        self.lineIndex = lineIndex
    }

    public subscript(name: String) -> Column? { columns[name] }

    public mutating func set(_ name: String, _ column: Column) {
        precondition(column.count == rowCount, "column \(name) has \(column.count) rows, dataset has \(rowCount)")
        if columns[name] == nil { names.append(name) }
        columns[name] = column
    }

    public func categorical(_ name: String) -> CategoricalColumn? {
        if case .categorical(let c)? = columns[name] { return c }
        return nil
    }

    public func numeric(_ name: String) -> [Double]? {
        switch columns[name] {
        case .numeric(let v)?: return v
        case .categorical(let c)?:
            // Binary and numeric-coded categories read as numbers (missing -> NaN).
            let table = c.levels.map { $0.isMissing ? Double.nan : (Double($0.code) ?? .nan) }
            return c.codes.mapped(table)
        default: return nil
        }
    }

    public func line(ofRow row: Int) -> Int { lineIndex.line(ofRecord: row) }
}

/// Parses numbers as written in exports: optional sign, digits, one decimal separator (`.`, or `,`
/// when decimal comma is allowed), optional exponent. No thousands separators.
public enum NumberParsing {
    public static func parse(_ text: String, decimalComma: Bool) -> Double? {
        var s = text.trimmingSpaces()
        if s.isEmpty { return nil }
        if decimalComma, s.contains(",") {
            if s.contains(".") { return nil }
            s = s.replacingOccurrences(of: ",", with: ".")
        }
        // Reject forms Double(_:) accepts but exports never mean as numbers.
        let lowered = s.lowercased()
        if lowered.contains("nan") || lowered.contains("inf") || lowered.hasPrefix("0x") || lowered.hasPrefix("+0x")
            || lowered.hasPrefix("-0x") { return nil }
        return Double(s)
    }
}

/// Row codes of a categorical column, one byte each when the column has at most 256 levels (as nearly all
/// survey variables have), else two: the dataset of a million respondents keeps a byte per answer.
public struct LevelCodes: RandomAccessCollection, Sendable, Equatable {
    enum Storage: Sendable, Equatable {
        case narrow([UInt8])
        case wide([UInt16])
    }
    var storage: Storage

    public init(_ codes: [UInt16], levelCount: Int) {
        storage = levelCount <= 256 ? .narrow(codes.map { UInt8(truncatingIfNeeded: $0) }) : .wide(codes)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .narrow(let a): return a.count
        case .wide(let a): return a.count
        }
    }

    @inline(__always)
    public subscript(row: Int) -> UInt16 {
        switch storage {
        case .narrow(let a): return UInt16(a[row])
        case .wide(let a): return a[row]
        }
    }

    /// `f` of each row's code, through a per-level table (the fast way to map a column).
    public func mapped<T>(_ table: [T]) -> [T] {
        switch storage {
        case .narrow(let a): return a.map { table[Int($0)] }
        case .wide(let a): return a.map { table[Int($0)] }
        }
    }
}
