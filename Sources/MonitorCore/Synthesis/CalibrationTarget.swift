/// A published number the synthetic respondents must reproduce: a cell of a table specification (its estimate
/// at the printed precision, or the printed n of its row or group).
public struct CalibrationTarget: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The cell's estimate, printed with `decimals` decimals (percent for percentages, else the mean).
        case estimate(value: Double, decimals: Int)
        /// Respondents of the base (and group) with a valid answer to the row.
        case count(Int)
        /// Respondents of the base (and group) with the row's level (a printed unweighted count).
        case levelCount(Int)

        public var isCount: Bool { if case .estimate = self { return false } else { return true } }
    }

    public var id: String
    public var spec: TableSpec
    /// Row key as in `ComputedTable` (`slachtoffer`, `ernst_categorie=zeer_ernstig`).
    public var row: String
    /// `nil` for the whole base, else `block=code` (`bestuurslaag=gemeente`).
    public var column: String?
    public var kind: Kind
    /// Weight of the target in the loss (counts printed once for many rows share one unit of weight).
    public var weight: Double

    public init(id: String, spec: TableSpec, row: String, column: String?, kind: Kind, weight: Double = 1) {
        self.id = id
        self.spec = spec
        self.row = row
        self.column = column
        self.kind = kind
        self.weight = weight
    }
}

/// A target compiled against a record schema: conditions (base filter and group) as masks over the variables'
/// domains, and the row's denominator mask and value per code. Mirrors `TableEngine`'s semantics: a binary row is
/// the share of 1 among 0/1 (minus `exclude`), a categorical row the share of a level among the valid levels
/// (minus `exclude`, plus the missing codes the row lists), a numeric row the mean of the valid values.
struct CompiledTarget {
    var id: String
    var conditions: [(variable: Int, allowed: [Bool])]
    var row: Int
    var denominator: [Bool]
    var value: [Double]
    var isCount: Bool
    /// Published value (percent or mean) or count.
    var published: Double
    /// Half of the printed precision (0.5 for whole percentages).
    var halfWidth: Double
    /// 100 for percentages, 1 for means.
    var scale: Double
    /// Variables the target reads.
    var variables: [Int]
    var weight: Double

    init(_ target: CalibrationTarget, schema: RecordSchema, codebook: Codebook) throws {
        let spec = target.spec
        let context = spec.file ?? spec.key
        func fail(_ message: String) -> DataError { DataError(.spec, SourcePosition(file: context), "\(target.id): \(message)") }
        id = target.id
        var conditions: [(Int, [Bool])] = []
        for (name, codes) in (spec.base.filter ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let v = schema.index[name] else { throw fail("unknown base variable \(name)") }
            conditions.append((v, schema.variables[v].domain.map { codes.contains($0) }))
        }
        if let column = target.column {
            let parts = column.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let v = schema.index[parts[0]] else { throw fail("bad column \(column)") }
            guard let block = spec.columns.first(where: { $0.by == parts[0] }) else { throw fail("\(spec.key) has no column block \(parts[0])") }
            if let levels = block.levels, !levels.contains(parts[1]) { throw fail("\(parts[1]) is not a group of block \(parts[0])") }
            conditions.append((v, schema.variables[v].domain.map { $0 == parts[1] }))
        }
        self.conditions = conditions

        let rowParts = target.row.split(separator: "=", maxSplits: 1).map(String.init)
        let level = rowParts.count == 2 ? rowParts[1] : nil
        let rowSpecs = spec.rows.filter { $0.key == rowParts[0] }
        guard let rowSpec = rowSpecs.first(where: { level == nil || $0.levels == nil || $0.levels!.contains(level!) }) ?? rowSpecs.first else {
            throw fail("\(spec.key) has no row \(rowParts[0])")
        }
        let name = rowSpec.variable
        guard let r = schema.index[name] else { throw fail("unknown row variable \(name)") }
        row = r
        let variable = schema.variables[r]
        let excluded = Set(rowSpec.exclude ?? [])
        let missing = Set(codebook.missing.map(\.code) + [""])
        let valid = (codebook.levelCodes(of: name) ?? []).filter { !missing.contains($0) }
        if variable.type == .numeric {
            denominator = variable.isMissing.map { !$0 }
            value = variable.number.map { $0.isNaN ? 0 : $0 }
            scale = 1
        } else if rowSpec.levels == nil, Set(valid) == ["0", "1"], level == nil {
            denominator = variable.domain.map { ($0 == "0" || $0 == "1") && !excluded.contains($0) }
            value = variable.domain.map { $0 == "1" ? 1 : 0 }
            scale = 100
        } else {
            var levels = valid.filter { !excluded.contains($0) }
            for code in rowSpec.levels ?? [] where !levels.contains(code) { levels.append(code) }
            // Without a level only a count makes sense: the respondents with a valid answer to the row.
            guard let level = level ?? (target.kind.isCount ? "" : nil) else { throw fail("row \(name) needs a level") }
            guard level.isEmpty || levels.contains(level) else { throw fail("\(level) is not a level of row \(name)") }
            denominator = variable.domain.map { levels.contains($0) }
            value = variable.domain.map { $0 == level ? 1 : 0 }
            scale = 100
        }
        switch target.kind {
        case .estimate(let v, let decimals):
            isCount = false
            published = v
            halfWidth = 0.5 * pow10(-decimals)
        case .count(let n):
            isCount = true
            published = Double(n)
            halfWidth = 0
        case .levelCount(let n):
            isCount = true
            published = Double(n)
            halfWidth = 0
            denominator = zip(denominator, value).map { $0 && $1 == 1 }
        }
        variables = Array(Set(conditions.map(\.0) + [r])).sorted()
        weight = target.weight
    }

    @inline(__always)
    func contribution(_ record: [UInt16]) -> (inDenominator: Bool, value: Double) {
        for (v, allowed) in conditions where !allowed[Int(record[v])] { return (false, 0) }
        let code = Int(record[row])
        return denominator[code] ? (true, value[code]) : (false, 0)
    }

    /// The loss of a target given its sums: zero inside the printed-precision window; outside it a step of 0,5
    /// (so that entering the window pays even from just outside) plus u² + u, u the distance outside the window
    /// in printed units; for a count 0,5 + the squared difference.
    @inline(__always)
    func loss(numerator: Double, denominator den: Double, count: Int, margin: Double) -> Double {
        if isCount {
            let d = Double(count) - published
            return d == 0 ? 0 : weight * (d * d + 0.5)
        }
        guard den > 0 else { return 4 + published * published }
        let estimate = scale * numerator / den
        let excess = abs(estimate - published) - margin * halfWidth
        guard excess > 0 else { return 0 }
        let u = excess / (2 * halfWidth)
        return weight * (0.5 + u * u + u)
    }

    func estimate(numerator: Double, denominator den: Double) -> Double { den > 0 ? scale * numerator / den : .nan }
}

private func pow10(_ k: Int) -> Double {
    var x = 1.0
    if k >= 0 { for _ in 0..<k { x *= 10 } } else { for _ in 0..<(-k) { x /= 10 } }
    return x
}

/// The compiled targets' masks and values in flat buffers, for the calibration's inner loop (no reference
/// counting per evaluation). Owned by `calibrate`, which deallocates it.
struct FlatTargets {
    let count: Int
    let condStart: UnsafeMutablePointer<Int32>
    let condVar: UnsafeMutablePointer<Int32>
    let condMask: UnsafeMutablePointer<Int32>
    let rowVar: UnsafeMutablePointer<Int32>
    let denMask: UnsafeMutablePointer<Int32>
    let valueAt: UnsafeMutablePointer<Int32>
    let masks: UnsafeMutablePointer<UInt8>
    let values: UnsafeMutablePointer<Double>

    init(_ targets: [CompiledTarget]) {
        count = targets.count
        var starts: [Int32] = [0], vars: [Int32] = [], condMasks: [Int32] = [], rows: [Int32] = [], dens: [Int32] = [], valueIndex: [Int32] = []
        var masks: [UInt8] = [], values: [Double] = []
        for t in targets {
            for (v, allowed) in t.conditions {
                vars.append(Int32(v))
                condMasks.append(Int32(masks.count))
                masks += allowed.map { $0 ? 1 : 0 }
            }
            starts.append(Int32(vars.count))
            rows.append(Int32(t.row))
            dens.append(Int32(masks.count))
            masks += t.denominator.map { $0 ? 1 : 0 }
            valueIndex.append(Int32(values.count))
            values += t.value
        }
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
            _ = a.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: a.count) }
            return p
        }
        condStart = copy(starts); condVar = copy(vars.isEmpty ? [0] : vars); condMask = copy(condMasks.isEmpty ? [0] : condMasks)
        rowVar = copy(rows); denMask = copy(dens); valueAt = copy(valueIndex); self.masks = copy(masks); self.values = copy(values)
    }

    func deallocate() {
        condStart.deallocate(); condVar.deallocate(); condMask.deallocate(); rowVar.deallocate()
        denMask.deallocate(); valueAt.deallocate(); masks.deallocate(); values.deallocate()
    }

    /// Whether the record is in target `t`'s denominator, and its value there.
    @inline(__always)
    func contribution(_ t: Int, _ record: UnsafePointer<UInt16>) -> (Bool, Double) {
        var k = Int(condStart[t])
        let end = Int(condStart[t + 1])
        while k < end {
            if masks[Int(condMask[k]) + Int(record[Int(condVar[k])])] == 0 { return (false, 0) }
            k += 1
        }
        let code = Int(record[Int(rowVar[t])])
        if masks[Int(denMask[t]) + code] == 0 { return (false, 0) }
        return (true, values[Int(valueAt[t]) + code])
    }
}

/// The calibration's targets are made from the published figures here, in Synthesis: the published data know
/// nothing of calibration.
extension PublishedData {
    /// Calibration targets for one survey: every mapped 2024 figure's estimate, and its printed n's where the
    /// cell map says which n they are. Irreconcilable figures are left out.
    public func targets(survey: String, specs: [TableSpec]) -> [CalibrationTarget] {
        let byKey = Dictionary(specs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let figuresByID = Dictionary(figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [CalibrationTarget] = []
        var counted = Set<String>()
        for cell in cells where cell.survey == survey && cell.isMapped && irreconcilable[cell.id] == nil {
            guard let spec = byKey[cell.table], let figure = figuresByID[cell.id] else { continue }
            // A rank, a decrease or a product follows from cells that are targets of their own.
            guard case .cell = cell.form else { continue }
            let decimals = spec.decimals ?? 0
            // A row that describes the response: its counts are targets; a share, a frame total or a rate follows
            // from counts (and the frame, which no respondent changes).
            let key = String(cell.row.split(separator: "=", maxSplits: 1)[0])
            if let statistic = spec.rows.first(where: { $0.key == key })?.statistic, statistic.isResponse {
                if statistic == .count, let value = figure.value {
                    out.append(CalibrationTarget(id: cell.id + " (count)", spec: spec, row: cell.row, column: cell.column,
                                                 kind: cell.row.contains("=") ? .levelCount(Int(value)) : .count(Int(value))))
                }
                continue
            }
            if cell.nCheck == .count {
                if let value = figure.value {
                    let level = cell.row.contains("=")
                    out.append(CalibrationTarget(id: cell.id + " (count)", spec: spec, row: cell.row, column: cell.column,
                                                 kind: level ? .levelCount(Int(value)) : .count(Int(value))))
                }
                continue
            }
            if let value = figure.value {
                out.append(CalibrationTarget(id: cell.id, spec: spec, row: cell.row, column: cell.column, kind: .estimate(value: value, decimals: decimals)))
            }
            if [.base, .both].contains(cell.nCheck), let n = figure.baseN {
                let key = "\(cell.table)|\(cell.row)|total|\(n)"
                if counted.insert(key).inserted {
                    out.append(CalibrationTarget(id: cell.id + " (base n)", spec: spec, row: cell.row, column: nil, kind: .count(n)))
                }
            }
            if [.group, .both].contains(cell.nCheck), let n = figure.groupN {
                let key = "\(cell.table)|\(cell.row)|\(cell.column ?? "total")|\(n)"
                if counted.insert(key).inserted {
                    out.append(CalibrationTarget(id: cell.id + " (group n)", spec: spec, row: cell.row, column: cell.column, kind: .count(n)))
                }
            }
        }
        // An n printed once for a table is checked on every row; its rows share one unit of weight in the loss.
        var multiplicity: [String: Int] = [:]
        func key(_ t: CalibrationTarget) -> String? {
            guard case .count(let n) = t.kind else { return nil }
            return "\(t.spec.key)|\(t.column ?? "total")|\(n)"
        }
        for t in out { if let k = key(t) { multiplicity[k, default: 0] += 1 } }
        for i in out.indices { if let k = key(out[i]) { out[i].weight = 1 / Double(multiplicity[k]!) } }
        return out
    }
}
