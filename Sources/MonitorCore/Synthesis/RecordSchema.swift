/// The variables of a synthetic record as small integer codes: every codebook variable (raw, then derived in
/// codebook order) has a finite domain of codes, missing codes included; a record is one `UInt16` index per
/// variable. Derived variables are evaluated per record with the same rules as `Derivation` (which computes
/// them column-wise for a loaded file), so what the calibration sees is what `monitor tables` computes.
struct RecordSchema {
    enum Role { case raw, derived }

    struct Variable {
        var name: String
        var role: Role
        var type: VariableType
        /// Codes as written to / read from the file ("" is the empty cell).
        var domain: [String]
        /// The number of each domain entry (NaN for missing codes and non-numbers).
        var number: [Double]
        /// Whether each domain entry is a missing code.
        var isMissing: [Bool]
        func index(of code: String) -> Int? { domain.firstIndex(of: code) }
    }

    enum Rule {
        /// target index by source index (also a numeric complement: the target domain is total − the source's)
        case recode(source: Int, table: [UInt16])
        /// per case its conditions (variable, allowed indices) and target index; no case holds -> `empty`
        case cases([(conditions: [(Int, [Bool])], code: UInt16)], empty: UInt16)
        /// per source: for each source index 1 -> -1, 0 -> -2, missing -> index of that missing code in the target
        case any(sources: [Int], tables: [[Int]], empty: UInt16)
        case bands(source: Int, table: [UInt16])
        /// per source the number of each index (1, 0 or NaN); result index = count, or `empty`
        case count(sources: [Int], empty: UInt16)
    }

    var variables: [Variable] = []
    var index: [String: Int] = [:]
    var rules: [(target: Int, rule: Rule)] = []
    var rawCount = 0
    var missingCodes: [String]
    /// Multiple-response sets: name -> item variable indices.
    var sets: [String: [Int]] = [:]

    init(codebook: Codebook, numeric: [String: SynthesisModel.NumericValues], textValues: [String: [String]]) throws {
        missingCodes = codebook.missing.map(\.code)
        func add(_ v: Variable) {
            index[v.name] = variables.count
            variables.append(v)
        }
        for v in codebook.variables where v.type != .id {
            switch v.type {
            case .categorical, .binary:
                let codes = v.validValues.map(\.code)
                add(Variable(name: v.name, role: .raw, type: v.type, domain: codes + missingCodes,
                             number: (codes + missingCodes).enumerated().map { $0 < codes.count ? (Double($1) ?? .nan) : .nan },
                             isMissing: codes.map { _ in false } + missingCodes.map { _ in true }))
            case .numeric:
                guard let values = numeric[v.name]?.values, !values.isEmpty else {
                    throw DataError(.spec, SourcePosition(file: "synthesis model \(codebook.survey)"),
                                    "numeric variable \(v.name) needs candidate values (numeric: \(v.name): {values: [...]})")
                }
                add(Variable(name: v.name, role: .raw, type: .numeric, domain: values.map(NumberFormat.exact) + [""],
                             number: values + [.nan], isMissing: values.map { _ in false } + [true]))
            case .text:
                var codes = textValues[v.name] ?? []
                if !codes.contains("") { codes.append("") }
                add(Variable(name: v.name, role: .raw, type: .text, domain: codes, number: codes.map { _ in .nan },
                             isMissing: codes.map { $0.isEmpty }))
            case .id: break
            }
        }
        rawCount = variables.count
        for s in codebook.sets ?? [] { sets[s.name] = s.items.compactMap { index[$0] } }

        for d in codebook.derived ?? [] {
            guard let kind = d.kind else { continue }
            let target = variables.count
            switch kind {
            case .recode(let sourceName):
                guard let s = index[sourceName] else { continue }
                let codes = (d.values ?? []).map(\.code)
                let domain = codes + missingCodes
                let empty = UInt16(codes.count + (missingCodes.firstIndex(of: "") ?? 0))
                let table = variables[s].domain.enumerated().map { i, code -> UInt16 in
                    if variables[s].isMissing[i], let m = missingCodes.firstIndex(of: code) { return UInt16(codes.count + m) }
                    guard let to = d.map?[code], let k = codes.firstIndex(of: to) else { return empty }
                    return UInt16(k)
                }
                add(Variable(name: d.name, role: .derived, type: .categorical, domain: domain, number: domain.map { _ in .nan },
                             isMissing: codes.map { _ in false } + missingCodes.map { _ in true }))
                rules.append((target, .recode(source: s, table: table)))
            case .any(let items):
                let sources = items.compactMap { index[$0] }
                guard sources.count == items.count else { continue }
                let domain = ["1", "0"] + missingCodes
                let empty = 2 + (missingCodes.firstIndex(of: "") ?? 0)
                let tables = sources.map { s in
                    variables[s].domain.enumerated().map { i, code -> Int in
                        if !variables[s].isMissing[i] { return code == "1" ? -1 : (code == "0" ? -2 : empty) }
                        return 2 + (missingCodes.firstIndex(of: code) ?? (empty - 2))
                    }
                }
                add(Variable(name: d.name, role: .derived, type: .binary, domain: domain, number: [1, 0] + missingCodes.map { _ in .nan },
                             isMissing: [false, false] + missingCodes.map { _ in true }))
                rules.append((target, .any(sources: sources, tables: tables, empty: UInt16(empty))))
            case .bands(let sourceName):
                guard let s = index[sourceName] else { continue }
                let bands = d.values ?? []
                let codes = bands.map(\.code)
                let domain = codes + missingCodes
                let empty = UInt16(codes.count + (missingCodes.firstIndex(of: "") ?? 0))
                let table = variables[s].number.map { x -> UInt16 in
                    guard !x.isNaN, let k = bands.firstIndex(where: { x >= ($0.min ?? -.infinity) && x <= ($0.max ?? .infinity) }) else { return empty }
                    return UInt16(k)
                }
                add(Variable(name: d.name, role: .derived, type: .categorical, domain: domain, number: domain.map { _ in .nan },
                             isMissing: codes.map { _ in false } + missingCodes.map { _ in true }))
                rules.append((target, .bands(source: s, table: table)))
            case .count(let items):
                let sources = items.compactMap { index[$0] }
                guard sources.count == items.count else { continue }
                let values = (0...sources.count).map(Double.init)
                add(Variable(name: d.name, role: .derived, type: .numeric, domain: values.map(NumberFormat.exact) + [""],
                             number: values + [.nan], isMissing: values.map { _ in false } + [true]))
                rules.append((target, .count(sources: sources, empty: UInt16(values.count))))
            case .cases(let cases):
                let codes = (d.values ?? []).map(\.code)
                let domain = codes + missingCodes
                let empty = UInt16(codes.count + (missingCodes.firstIndex(of: "") ?? 0))
                var compiled: [(conditions: [(Int, [Bool])], code: UInt16)] = []
                for c in cases {
                    var conditions: [(Int, [Bool])] = []
                    for (name, allowed) in c.when.sorted(by: { $0.key < $1.key }) {
                        guard let v = index[name] else { continue }
                        conditions.append((v, variables[v].domain.map { allowed.contains($0) }))
                    }
                    compiled.append((conditions, UInt16(codes.firstIndex(of: c.code)!)))
                }
                add(Variable(name: d.name, role: .derived, type: .categorical, domain: domain, number: domain.map { _ in .nan },
                             isMissing: codes.map { _ in false } + missingCodes.map { _ in true }))
                rules.append((target, .cases(compiled, empty: empty)))
            case .complement(let sourceName, let total):
                guard let s = index[sourceName] else { continue }
                let source = variables[s]
                var values: [Double] = []
                for x in source.number where !x.isNaN && !values.contains(total - x) { values.append(total - x) }
                let table = source.number.map { x -> UInt16 in
                    x.isNaN ? UInt16(values.count) : UInt16(values.firstIndex(of: total - x)!)
                }
                add(Variable(name: d.name, role: .derived, type: .numeric, domain: values.map(NumberFormat.exact) + [""],
                             number: values + [.nan], isMissing: values.map { _ in false } + [true]))
                rules.append((target, .recode(source: s, table: table)))
            }
        }
    }

    /// Recomputes every derived variable of `record` (as `Derivation` does for a whole column).
    func derive(_ record: inout [UInt16]) {
        for (target, rule) in rules {
            switch rule {
            case .recode(let s, let table):
                record[target] = table[Int(record[s])]
            case .bands(let s, let table):
                record[target] = table[Int(record[s])]
            case .any(let sources, let tables, let empty):
                var anyOne = false, allZero = true, shared: Int? = nil, mixed = false
                for (k, s) in sources.enumerated() {
                    let v = tables[k][Int(record[s])]
                    if v == -1 { anyOne = true; break }
                    if v == -2 { mixed = true; continue }
                    allZero = false
                    if shared == nil { shared = v } else if shared != v { mixed = true }
                }
                if anyOne { record[target] = 0 }
                else if allZero { record[target] = 1 }
                else { record[target] = (!mixed && shared != nil) ? UInt16(shared!) : empty }
            case .count(let sources, let empty):
                var count = 0
                var complete = true
                for s in sources {
                    let x = variables[s].number[Int(record[s])]
                    if x == 1 { count += 1 } else if x != 0 { complete = false; break }
                }
                record[target] = complete ? UInt16(count) : empty
            case .cases(let cases, let empty):
                var code = empty
                for c in cases where c.conditions.allSatisfy({ $0.1[Int(record[$0.0])] }) {
                    code = c.code
                    break
                }
                record[target] = code
            }
        }
    }

    /// The raw sources of a derived variable (transitively), or the variable itself when raw.
    func rawSources(of v: Int) -> [Int] {
        if variables[v].role == .raw { return [v] }
        guard let rule = rules.first(where: { $0.target == v })?.rule else { return [] }
        switch rule {
        case .recode(let s, _), .bands(let s, _): return rawSources(of: s)
        case .any(let sources, _, _), .count(let sources, _): return sources.flatMap { rawSources(of: $0) }
        case .cases(let cases, _):
            var out: [Int] = []
            for c in cases { for (v, _) in c.conditions { for r in rawSources(of: v) where !out.contains(r) { out.append(r) } } }
            return out
        }
    }

    func rule(of v: Int) -> Rule? { rules.first { $0.target == v }?.rule }

    /// A condition on a record compiled to masks over the variables' domains.
    func compile(_ condition: SynthesisModel.Condition, context: String) throws -> [(Int, [Bool])] {
        try condition.sorted { $0.key < $1.key }.map { name, codes in
            guard let v = index[name] else {
                throw DataError(.spec, SourcePosition(file: context), "unknown variable \(name) in a condition")
            }
            return (v, variables[v].domain.map { codes.contains($0) })
        }
    }
}
