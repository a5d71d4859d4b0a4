/// Computes the codebook's derived variables (recode, any, bands, count, cases, complement) from columns
/// already built.
enum Derivation {
    static func compute(_ d: DerivedVariable, in dataset: Dataset, missing: [Level]) -> Column? {
        guard let kind = d.kind else { return nil }
        let n = dataset.rowCount
        switch kind {
        case .recode(let sourceName):
            guard let source = dataset.categorical(sourceName) else { return nil }
            let levels = (d.values ?? []).map { Level(code: $0.code, label: $0.label) } + missing
            let missingIndex = UInt16(levels.firstIndex { $0.code == "" && $0.isMissing } ?? levels.count - 1)
            let table = source.levels.map { level -> UInt16 in
                if level.isMissing, let i = levels.firstIndex(where: { $0.code == level.code }) { return UInt16(i) }
                guard let target = d.map?[level.code], let i = levels.firstIndex(where: { $0.code == target }) else {
                    return missingIndex
                }
                return UInt16(i)
            }
            return .categorical(CategoricalColumn(levels: levels, codes: source.codes.mapped(table)))

        case .any(let items):
            let columns = items.compactMap { dataset.categorical($0) }
            guard columns.count == items.count else { return nil }
            let levels = [Level(code: "1", label: "Ja"), Level(code: "0", label: "Nee")] + missing
            let emptyIndex = UInt16(levels.firstIndex { $0.code == "" && $0.isMissing } ?? levels.count - 1)
            // Per item: 1 -> yes, 0 -> no, missing -> the index of that missing code among `levels`.
            let tables = columns.map { column in
                column.levels.map { level -> Int in
                    if !level.isMissing { return level.code == "1" ? -1 : (level.code == "0" ? -2 : Int(emptyIndex)) }
                    return levels.firstIndex(where: { $0.isMissing && $0.code == level.code }) ?? Int(emptyIndex)
                }
            }
            var codes = [UInt16](repeating: emptyIndex, count: n)
            for row in 0..<n {
                var anyOne = false, allZero = true, sharedMissing: Int? = nil, mixed = false
                for (k, column) in columns.enumerated() {
                    let v = tables[k][Int(column.codes[row])]
                    if v == -1 { anyOne = true; break }
                    if v == -2 { mixed = true; continue }
                    allZero = false
                    if sharedMissing == nil { sharedMissing = v } else if sharedMissing != v { mixed = true }
                }
                if anyOne { codes[row] = 0 }
                else if allZero { codes[row] = 1 }
                else { codes[row] = (!mixed && sharedMissing != nil) ? UInt16(sharedMissing!) : emptyIndex }
            }
            return .categorical(CategoricalColumn(levels: levels, codes: codes))

        case .count(let items):
            let columns = items.compactMap { dataset.numeric($0) }
            guard columns.count == items.count else { return nil }
            var values = [Double](repeating: .nan, count: n)
            for row in 0..<n {
                var count = 0.0, complete = true
                for column in columns {
                    let x = column[row]
                    if x == 1 { count += 1 } else if x != 0 { complete = false; break }
                }
                if complete { values[row] = count }
            }
            return .numeric(values)

        case .bands(let sourceName):
            guard case .numeric(let source)? = dataset[sourceName] else { return nil }
            let bands = d.values ?? []
            let levels = bands.map { Level(code: $0.code, label: $0.label) } + missing
            let missingIndex = UInt16(levels.firstIndex { $0.code == "" && $0.isMissing } ?? levels.count - 1)
            let codes = source.map { x -> UInt16 in
                guard !x.isNaN, let i = bands.firstIndex(where: { x >= $0.min! && x <= $0.max! }) else { return missingIndex }
                return UInt16(i)
            }
            return .categorical(CategoricalColumn(levels: levels, codes: codes))

        case .cases(let cases):
            let codesOut = (d.values ?? []).map(\.code)
            let levels = (d.values ?? []).map { Level(code: $0.code, label: $0.label) } + missing
            let emptyIndex = UInt16(levels.firstIndex { $0.code == "" && $0.isMissing } ?? levels.count - 1)
            // Per case: per condition the column and a mask over its levels.
            var compiled: [(conditions: [(CategoricalColumn, [Bool])], code: UInt16)] = []
            for c in cases {
                var conditions: [(CategoricalColumn, [Bool])] = []
                for (name, allowed) in c.when.sorted(by: { $0.key < $1.key }) {
                    guard let column = dataset.categorical(name) else { return nil }
                    conditions.append((column, column.levels.map { allowed.contains($0.code) }))
                }
                compiled.append((conditions, UInt16(codesOut.firstIndex(of: c.code)!)))
            }
            var codes = [UInt16](repeating: emptyIndex, count: n)
            for row in 0..<n {
                for c in compiled where c.conditions.allSatisfy({ $0.1[Int($0.0.codes[row])] }) {
                    codes[row] = c.code
                    break
                }
            }
            return .categorical(CategoricalColumn(levels: levels, codes: codes))

        case .complement(let sourceName, let total):
            guard case .numeric(let source)? = dataset[sourceName] else { return nil }
            return .numeric(source.map { $0.isNaN ? .nan : total - $0 })
        }
    }
}
