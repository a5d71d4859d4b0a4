import Foundation

/// Generates synthetic respondents and calibrates them to published figures.
///
/// Generation: the design variables get the model's exact counts (shuffled), the margin variables their exact
/// marginal counts, every other variable a draw from its prior; then the questionnaire's rules (routing, set
/// consistency, structural values) are applied. Calibration: simulated annealing (Kirkpatrick, Gelatt & Vecchi
/// 1983) over record attributes. A move changes one answer of one respondent, mostly chosen to fix a target that
/// is off (a share too low: give a respondent of that cell the level; too high: take it away; a count off: move a
/// respondent into or out of the cell; exchange all answers, or the answers to one question, with another
/// respondent, so that marginal counts stay), re-applies the rules to the records, half of the time keeps the best of
/// `candidates` proposals toward the same target, and is accepted with probability
/// min(1, exp(-Δloss / T)) under a geometric cooling schedule. The loss is the sum over targets of the squared
/// distance outside the printed-precision window (see `CompiledTarget.loss`). Weights are fixed: they depend only
/// on the design and margin variables, which the calibration never changes. Deterministic for a seed.
public struct Synthesizer {
    public let codebook: Codebook
    public let model: SynthesisModel
    let schema: RecordSchema
    var rng: SeededGenerator
    public internal(set) var records: [[UInt16]] = []
    /// The raw variables the last `load` drew because the start file lacked them (codebook order).
    public internal(set) var absentColumns: [String] = []
    var fixed: [Bool]
    /// The raw variables in the order of the first draw: the model's `first`, then codebook order.
    var drawOrder: [Int] = []
    /// Per variable: prior entries (condition masks, weight per domain index).
    var priors: [[(conditions: [(Int, [Bool])], weights: [Double])]]
    var routing: [(ask: [Int], conditions: [(Int, [Bool])], sets: [[Int]])] = []
    var exclusive: [(items: [Int], nones: [Int])] = []
    var consistent: [(variable: Int, requires: [Int: Int])] = []
    var atLeast: [(variable: Int, items: [Int])] = []
    var structural: [(set: [(Int, UInt16)], conditions: [(Int, [Bool])])] = []
    var routedOut: [UInt16]
    var emptyCode: [UInt16]
    var oneCode: [UInt16?]
    var zeroCode: [UInt16?]
    /// Per routing rule and set: the set's exclusive items.
    var routingSetNone: [[[Int]]] = []
    /// Raw sources of every variable (itself when raw).
    var sourcesOf: [[Int]]
    /// Stop position -> the start of the set it falls in (itself outside sets); index rawCount = complete.
    var stopSnap: [Int] = []
    var setOf: [Int?]
    /// Per raw variable: the question it belongs to (the items of its multiple-response set, or itself).
    var questionOf: [[Int]] = []

    public var recordCount: Int { records.count }

    public init(codebook: Codebook, model: SynthesisModel, seed: UInt64) throws {
        self.codebook = codebook
        self.model = model
        rng = SeededGenerator(seed: seed)
        var textValues: [String: [String]] = [:]
        for p in model.priors ?? [] where codebook.variable(p.variable)?.type == .text {
            textValues[p.variable, default: []] += p.weights.keys.sorted().filter { !(textValues[p.variable] ?? []).contains($0) }
        }
        let schema = try RecordSchema(codebook: codebook, numeric: model.numeric ?? [:], textValues: textValues)
        self.schema = schema
        let context = "data/synthesis/\(model.survey).yaml"
        func index(_ name: String) throws -> Int {
            guard let v = schema.index[name] else { throw DataError(.spec, SourcePosition(file: context), "unknown variable \(name)") }
            return v
        }
        let designNames = Set(model.design.flatMap { $0.keys }.filter { $0 != "n" })
        fixed = schema.variables.map { designNames.contains($0.name) || (model.margins?[$0.name] != nil) || (model.fixed ?? []).contains($0.name) }
        let firstDrawn = try (model.first ?? []).map { try index($0) }
        for v in firstDrawn where schema.variables[v].role != .raw {
            throw DataError(.spec, SourcePosition(file: context), "first: \(schema.variables[v].name) is a derived variable")
        }
        drawOrder = firstDrawn + (0..<schema.rawCount).filter { !firstDrawn.contains($0) }

        priors = schema.variables.map { _ in [] }
        for p in model.priors ?? [] {
            let v = try index(p.variable)
            let weights = schema.variables[v].domain.map { p.weights[$0] ?? 0 }
            guard weights.reduce(0, +) > 0 else { throw DataError(.spec, SourcePosition(file: context), "prior of \(p.variable) has no valid code") }
            priors[v].append((try schema.compile(p.when ?? [:], context: context), weights))
        }
        for (name, values) in model.numeric ?? [:] {
            let v = try index(name)
            let w = values.weights ?? values.values.map { _ in 1 }
            guard w.count == values.values.count else { throw DataError(.spec, SourcePosition(file: context), "\(name): weights and values differ in length") }
            priors[v].append(([], w + [0]))
        }
        emptyCode = schema.variables.map { UInt16($0.index(of: "") ?? 0) }
        oneCode = schema.variables.map { $0.index(of: "1").map(UInt16.init) }
        zeroCode = schema.variables.map { $0.index(of: "0").map(UInt16.init) }
        sourcesOf = schema.variables.indices.map { schema.rawSources(of: $0) }
        routedOut = schema.variables.map { v in
            UInt16(v.index(of: (v.type == .numeric || v.type == .text) ? "" : "nvt") ?? v.index(of: "")!)
        }
        for r in model.routing ?? [] {
            var ask: [Int] = []
            var sets: [[Int]] = []
            for name in r.ask {
                if let items = schema.sets[name] { ask += items; sets.append(items) } else { ask.append(try index(name)) }
            }
            routing.append((ask, try schema.compile(r.when, context: context), sets))
        }
        setOf = schema.variables.map { _ in nil }
        var k = 0
        for (name, items) in schema.sets.sorted(by: { $0.key < $1.key }) {
            let nones = try (model.exclusive?[name]?.items ?? []).map(index)
            if !nones.isEmpty || (model.atLeastOne ?? []).contains(name) {
                exclusive.append((items, nones))
                for i in items { setOf[i] = k }
                k += 1
            }
        }
        questionOf = (0..<schema.rawCount).map { [$0] }
        for items in schema.sets.values { for i in items { questionOf[i] = items } }
        stopSnap = Array(0...schema.rawCount)
        for items in schema.sets.values {
            guard let first = items.min(), let last = items.max() else { continue }
            for p in (first + 1)...max(first + 1, last) where p <= last { stopSnap[p] = first }
        }
        routingSetNone = routing.map { rule in rule.sets.map { items in exclusive.first { $0.items == items }?.nones ?? [] } }
        for (name, map) in (model.consistent ?? [:]).sorted(by: { $0.key < $1.key }) {
            let v = try index(name)
            var requires: [Int: Int] = [:]
            for (code, binary) in map {
                guard let c = schema.variables[v].index(of: code) else { throw DataError(.spec, SourcePosition(file: context), "\(code) is not a code of \(name)") }
                requires[c] = try index(binary)
            }
            consistent.append((v, requires))
        }
        for (name, items) in (model.atLeast ?? [:]).sorted(by: { $0.key < $1.key }) {
            atLeast.append((try index(name), try items.map(index)))
        }
        for s in model.structural ?? [] {
            let set = try s.set.sorted(by: { $0.key < $1.key }).map { name, code -> (Int, UInt16) in
                let v = try index(name)
                guard let c = schema.variables[v].index(of: code) else { throw DataError(.spec, SourcePosition(file: context), "\(code) is not a code of \(name)") }
                return (v, UInt16(c))
            }
            structural.append((set, try schema.compile(s.when, context: context)))
        }
    }

    // MARK: generation

    /// What every record of a run starts from: the design cell of each record (shuffled), the margin columns,
    /// and per design cell its codes and which raw variables they preset.
    struct GenerationPlan {
        var total: Int
        /// Per design cell: (variable, code) pairs and a mask of preset raw variables (design and margin variables).
        var cells: [(codes: [(Int, UInt16)], preset: [Bool])]
        /// The design cell of each record, in record order.
        var order: [Int32]
        /// Margin variables (sorted by name) with their code per record.
        var margins: [(variable: Int, codes: [UInt16])]
        /// The empty record (every variable empty, stop slot = complete).
        var empty: [UInt16]
    }

    /// Draws the design and margin columns of `total` respondents. The random draws are exactly those of the
    /// original row-by-row generator (the same shuffles in the same order), so a seed gives the same file.
    mutating func plan(n: Int?) throws -> GenerationPlan {
        let total = n ?? model.n
        let context = "data/synthesis/\(model.survey).yaml"
        func code(_ name: String, _ code: String) throws -> (Int, UInt16) {
            guard let v = schema.index[name], let c = schema.variables[v].index(of: code) else {
                throw DataError(.spec, SourcePosition(file: context), "\(code) is not a code of \(name)")
            }
            return (v, UInt16(c))
        }
        let counts = try model.designCounts(total: total)
        let marginNames = (model.margins ?? [:]).keys.sorted()
        var cells: [(codes: [(Int, UInt16)], preset: [Bool])] = []
        var order: [Int32] = []
        order.reserveCapacity(total)
        for (k, (codes, count)) in counts.enumerated() {
            let pairs = try codes.sorted(by: { $0.key < $1.key }).map { try code($0.key, $0.value) }
            let presetNames = Set(codes.keys).union(marginNames)
            cells.append((pairs, (0..<schema.rawCount).map { presetNames.contains(schema.variables[$0].name) }))
            order += repeatElement(Int32(k), count: count)
        }
        shuffle(&order)
        var margins: [(variable: Int, codes: [UInt16])] = []
        for name in marginNames {
            let counts = model.margins![name]!
            let codes = counts.keys.sorted()
            let scaled = total == model.n ? codes.map { counts[$0]! } : SynthesisModel.apportion(codes.map { Double(counts[$0]!) }, total: total)
            guard scaled.reduce(0, +) == total else {
                throw DataError(.spec, SourcePosition(file: context), "margin \(name) sums to \(scaled.reduce(0, +)), not \(total)")
            }
            var column: [UInt16] = []
            column.reserveCapacity(total)
            var v = 0
            for (c, count) in zip(codes, scaled) {
                let (variable, index) = try code(name, c)
                v = variable
                column += repeatElement(index, count: count)
            }
            shuffle(&column)
            if column.isEmpty, let variable = schema.index[name] { v = variable }
            margins.append((v, column))
        }
        let empty = schema.variables.map { UInt16($0.index(of: "") ?? 0) } + [UInt16(schema.rawCount)]
        return GenerationPlan(total: total, cells: cells, order: order, margins: margins, empty: empty)
    }

    /// Record `i` of a plan: design and margin codes, a draw from the priors for every other raw variable (the
    /// model's `first` variables, then codebook order), then the questionnaire's rules.
    mutating func record(_ i: Int, plan: GenerationPlan) -> [UInt16] {
        var record = plan.empty
        let cell = plan.cells[Int(plan.order[i])]
        for (v, c) in cell.codes { record[v] = c }
        for (v, codes) in plan.margins { record[v] = codes[i] }
        schema.derive(&record)
        for v in drawOrder where !cell.preset[v] {
            record[v] = draw(v, record)
            schema.derive(&record)
        }
        let before = record
        repair(&record, old: before, forced: nil)
        return record
    }

    /// Draws `n` respondents (default: the model's n): exact design and margin counts, priors for the rest.
    public mutating func generate(n: Int? = nil) throws {
        let plan = try plan(n: n)
        records = []
        records.reserveCapacity(plan.total)
        for i in 0..<plan.total { records.append(record(i, plan: plan)) }
    }

    /// Draws `n` respondents as `generate` does (the same records for a seed) but hands each to `body` instead of
    /// keeping it: memory stays constant however many respondents are drawn. `records` stays empty.
    public mutating func generate(n: Int? = nil, each body: (_ index: Int, _ record: [UInt16]) throws -> Void) throws {
        let plan = try plan(n: n)
        records = []
        for i in 0..<plan.total { try body(i, record(i, plan: plan)) }
    }

    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, rng.below(i + 1)) }
    }

    /// The variable's first applicable prior weights (per domain index), if it has one.
    func prior(_ v: Int, _ record: [UInt16]) -> [Double]? {
        priors[v].first { holds($0.conditions, record) }?.weights
    }

    /// A draw from the variable's first applicable prior (uniform over the valid codes without one).
    mutating func draw(_ v: Int, _ record: [UInt16], excluding: Int? = nil) -> UInt16 {
        var w = prior(v, record) ?? schema.variables[v].isMissing.map { $0 ? 0 : 1 }
        if let excluding, excluding < w.count { w[excluding] = 0 }
        guard w.reduce(0, +) > 0 else { return record[v] }
        return pick(w)
    }

    @inline(__always)
    func holds(_ conditions: [(Int, [Bool])], _ record: [UInt16]) -> Bool {
        for (v, allowed) in conditions where !allowed[Int(record[v])] { return false }
        return true
    }
}
