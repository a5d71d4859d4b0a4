/// Computes the codebook's derived variables (recode, any, bands, count) from columns already built.
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
            return .categorical(CategoricalColumn(levels: levels, codes: source.codes.map { table[Int($0)] }))

        case .any(let items):
            let columns = items.compactMap { dataset.numeric($0) }
            guard columns.count == items.count else { return nil }
            let levels = [Level(code: "1", label: "Ja"), Level(code: "0", label: "Nee")] + missing
            let missingIndex = UInt16(levels.firstIndex { $0.code == "" && $0.isMissing } ?? levels.count - 1)
            var codes = [UInt16](repeating: missingIndex, count: n)
            for row in 0..<n {
                var anyOne = false, allZero = true
                for column in columns {
                    let x = column[row]
                    if x == 1 { anyOne = true; break }
                    if x != 0 { allZero = false }
                }
                codes[row] = anyOne ? 0 : (allZero ? 1 : missingIndex)
            }
            return .categorical(CategoricalColumn(levels: levels, codes: codes))

        case .count(let items):
            let columns = items.compactMap { dataset.numeric($0) }
            guard columns.count == items.count else { return nil }
            var values = [Double](repeating: .nan, count: n)
            for row in 0..<n {
                var count = 0.0, observed = false
                for column in columns where !column[row].isNaN {
                    observed = true
                    if column[row] == 1 { count += 1 }
                }
                if observed { values[row] = count }
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
        }
    }
}
