import Foundation

/// A small, fast, seedable generator (xoshiro256**, Blackman & Vigna 2018), seeded with SplitMix64 so that every
/// seed gives its own stream. Used instead of the system generator so that a seed gives the same file everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Progress of a calibration run.
public struct CalibrationProgress: Sendable {
    public var iteration: Int
    public var iterations: Int
    public var loss: Double
    public var violated: Int
    public var targets: Int
    public var temperature: Double
}

/// Outcome of a calibration run, per target: published, reached (computed with the synthesizer's own evaluator;
/// `monitor reproduce` recomputes everything with the table engine), and whether it is within the printed precision.
public struct CalibrationResult: Sendable {
    public struct Target: Sendable {
        public var id: String
        public var published: Double
        public var reached: Double
        public var isCount: Bool
        public var met: Bool
    }
    public var iterations: Int
    public var loss: Double
    /// How far the loss kept up move by move (every change of a target's sums added, undone chains subtracted)
    /// lies from the same loss recomputed from the records at the end: rounding error only, unless a change was
    /// booked wrongly.
    public var drift: Double = 0
    public var targets: [Target]
    public var met: Int { targets.filter(\.met).count }
}

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
    var fixed: [Bool]
    /// The raw variables in the order of the first draw: the model's `first`, then codebook order.
    var drawOrder: [Int] = []
    /// Per variable: prior entries (condition masks, weight per domain index).
    var priors: [[(conditions: [(Int, [Bool])], weights: [Double])]]
    var routing: [(ask: [Int], conditions: [(Int, [Bool])], sets: [[Int]])] = []
    var exclusive: [(items: [Int], none: Int?)] = []
    var consistent: [(variable: Int, requires: [Int: Int])] = []
    var atLeast: [(variable: Int, items: [Int])] = []
    var structural: [(set: [(Int, UInt16)], conditions: [(Int, [Bool])])] = []
    var routedOut: [UInt16]
    var emptyCode: [UInt16]
    var oneCode: [UInt16?]
    var zeroCode: [UInt16?]
    /// Per routing rule and set: the set's exclusive item.
    var routingSetNone: [[Int?]] = []
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
            let none = try model.exclusive?[name].map(index)
            if none != nil || (model.atLeastOne ?? []).contains(name) {
                exclusive.append((items, none))
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
        routingSetNone = routing.map { rule in rule.sets.map { items in exclusive.first { $0.items == items }?.none } }
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

    // MARK: questionnaire rules

    func isValid(_ v: Int, _ code: UInt16) -> Bool { !schema.variables[v].isMissing[Int(code)] }
    func code(_ v: Int, _ text: String) -> UInt16? {
        if text == "1" { return oneCode[v] }
        if text == "0" { return zeroCode[v] }
        return schema.variables[v].index(of: text).map(UInt16.init)
    }

    /// Applies the model's rules to a record after `forced` changed: consistency of the most recent incident,
    /// multiple-response sets, routing (questions newly asked are drawn from their priors; questions no longer
    /// asked get the routing code) and structural values. `old` is the record before the change.
    mutating func repair(_ record: inout [UInt16], old: [UInt16], forced: Int?, dropout: Double = 0) {
        var oldDerived = old
        schema.derive(&oldDerived)
        var drawn = Set<Int>()
        for _ in 0..<4 {
            schema.derive(&record)
            let start = record
            // The most recent incident is one of the reported forms.
            for (v, requires) in consistent where isValid(v, record[v]) {
                guard let form = requires[Int(record[v])], record[form] != code(form, "1") else { continue }
                if forced == v, let one = code(form, "1") {
                    record[form] = one
                } else {
                    let options = requires.filter { record[$0.value] == code($0.value, "1") }.map(\.key).sorted()
                    if !options.isEmpty {
                        var weights = [Double](repeating: 0, count: schema.variables[v].domain.count)
                        let p = prior(v, record)
                        for o in options { weights[o] = max(p?[o] ?? 1, 1e-9) }
                        record[v] = pick(weights)
                    }
                }
            }
            schema.derive(&record)
            // Multiple-response sets.
            for (items, none) in exclusive { normalize(&record, items: items, none: none, forced: forced) }
            schema.derive(&record)
            // Routing.
            for (k, rule) in routing.enumerated() {
                let now = holds(rule.conditions, record)
                let before = holds(rule.conditions, oldDerived)
                if !now {
                    for v in rule.ask { record[v] = routedOut[v] }
                } else {
                    // Newly asked (and not because one of its own answers was set): a fresh draw, once.
                    let fresh = !before && !drawn.contains(k) && !(forced.map { rule.ask.contains($0) } ?? false)
                    if fresh {
                        drawn.insert(k)
                        // A newly asked block may be left unanswered: the respondent stopped there.
                        if dropout > 0, let first = rule.ask.min(), first < Int(record[stopSlot]), rng.unit() < dropout {
                            record[stopSlot] = UInt16(first)
                        }
                    }
                    for v in rule.ask where fresh || (record[v] == routedOut[v] && schema.variables[v].type != .numeric) {
                        record[v] = draw(v, record)
                    }
                    for (j, items) in rule.sets.enumerated() { normalize(&record, items: items, none: routingSetNone[k][j], forced: nil) }
                }
                schema.derive(&record)
            }
            applyStop(&record)
            // Numbers at least the count of their items.
            for (v, items) in atLeast where isValid(v, record[v]) {
                let k = Double(items.filter { record[$0] == code($0, "1") }.count)
                let numbers = schema.variables[v].number
                if numbers[Int(record[v])] < k, let up = numbers.indices.filter({ numbers[$0] >= k }).min(by: { numbers[$0] < numbers[$1] }) {
                    record[v] = UInt16(up)
                }
            }
            for s in structural where holds(s.conditions, record) {
                for (v, c) in s.set where isValid(v, record[v]) { record[v] = c }
            }
            applyStop(&record)
            schema.derive(&record)
            if record == start { break }
        }
    }

    /// The slot after the variables: the index of the first raw variable the respondent did not reach
    /// (`rawCount` for a complete questionnaire).
    var stopSlot: Int { schema.variables.count }

    /// Everything from the stop position on is empty (fixed variables excepted).
    func applyStop(_ record: inout [UInt16]) {
        // A multiple-response set is one question: a stop inside it moves to its start.
        let stop = stopSnap[min(Int(record[stopSlot]), schema.rawCount)]
        record[stopSlot] = UInt16(stop)
        guard stop < schema.rawCount else { return }
        for v in stop..<schema.rawCount where !fixed[v] { record[v] = emptyCode[v] }
    }

    /// Moves the stop position; answers of newly reached questions are drawn from their priors (the rules then
    /// route them).
    mutating func setStop(_ record: inout [UInt16], _ stop: Int) {
        let old = Int(record[stopSlot])
        record[stopSlot] = UInt16(stop)
        if stop > old {
            for v in old..<min(stop, schema.rawCount) where !fixed[v] && record[v] == emptyCode[v] { record[v] = draw(v, record) }
        }
    }

    /// A multiple-response set: an exclusive item excludes the others, an answered set has a ticked item, and a
    /// set is answered or missing as a whole.
    mutating func normalize(_ record: inout [UInt16], items: [Int], none: Int?, forced: Int?) {
        let validCount = items.filter { isValid($0, record[$0]) }.count
        if validCount == 0 { return }
        if validCount < items.count {
            if let forced, items.contains(forced), !isValid(forced, record[forced]) {
                for i in items { record[i] = record[forced] }
                return
            }
            for i in items where !isValid(i, record[i]) { record[i] = code(i, "0")! }
        }
        let one = items.map { record[$0] == code($0, "1") }
        if let none, let noneIndex = items.firstIndex(of: none), one[noneIndex] {
            let others = items.indices.filter { $0 != noneIndex && one[$0] }
            if !others.isEmpty {
                if forced == none { for k in others { record[items[k]] = code(items[k], "0")! } }
                else { record[none] = code(none, "0")! }
            }
        }
        if !items.contains(where: { record[$0] == code($0, "1") }) {
            if let none, forced != none {
                record[none] = code(none, "1")!
            } else {
                let candidates = items.filter { $0 != forced && $0 != none }
                var weights = candidates.map { v in prior(v, record).map { $0[Int(code(v, "1")!)] } ?? 1 }
                if weights.reduce(0, +) <= 0 { weights = candidates.map { _ in 1 } }
                if !candidates.isEmpty {
                    let chosen = candidates[Int(pick(weights))]
                    record[chosen] = code(chosen, "1")!
                }
            }
        }
    }

    mutating func pick(_ weights: [Double]) -> UInt16 {
        let total = weights.reduce(0, +)
        var u = rng.unit() * total
        for (k, w) in weights.enumerated() where w > 0 {
            u -= w
            if u < 0 { return UInt16(k) }
        }
        return UInt16(weights.lastIndex { $0 > 0 } ?? 0)
    }

    /// Sets variable `v` (raw or derived) of a record to domain index `c` by changing raw answers; false when the
    /// variable cannot be moved there (fixed, or no raw answer gives that value).
    mutating func force(_ record: inout [UInt16], _ v: Int, _ c: UInt16) -> Bool {
        let variable = schema.variables[v]
        if variable.role == .raw {
            if fixed[v] { return false }
            if let k = setOf[v], !isValid(v, c) {
                for i in exclusive[k].items { record[i] = c }
            } else {
                record[v] = c
            }
            return true
        }
        guard let rule = schema.rule(of: v) else { return false }
        let target = variable.domain[Int(c)]
        switch rule {
        case .recode(let s, let table), .bands(let s, let table):
            let options = table.indices.filter { table[$0] == c && !(variable.isMissing[Int(c)] == false && schema.variables[s].isMissing[$0]) }
            guard !options.isEmpty else { return false }
            var weights = [Double](repeating: 0, count: schema.variables[s].domain.count)
            let p = prior(s, record)
            for o in options { weights[o] = max(p?[o] ?? 1, 1e-6) }
            return force(&record, s, pick(weights))
        case .any(let sources, _, _):
            if target == "1" {
                let weights = sources.map { s -> Double in
                    guard let one = oneCode[s] else { return 0 }
                    return prior(s, record).map { $0[Int(one)] } ?? 1
                }
                let s = weights.reduce(0, +) > 0 ? sources[Int(pick(weights))] : sources[rng.below(sources.count)]
                guard let one = code(s, "1") else { return false }
                return force(&record, s, one)
            }
            var ok = true
            for s in sources {
                let to = target == "0" ? code(s, "0") : code(s, target)
                guard let to else { return false }
                if record[s] != to || schema.variables[s].role == .derived { ok = force(&record, s, to) && ok }
            }
            return ok
        case .cases(let cases, _):
            // One of the cases that give the code, at random; each of its conditions forced to an allowed code
            // (the current one when it is allowed). An earlier case that still holds would win, so check.
            let options = cases.filter { $0.code == c }
            guard !options.isEmpty else { return false }
            let chosen = options[rng.below(options.count)]
            var ok = true
            for (s, allowed) in chosen.conditions where !allowed[Int(record[s])] {
                let codes = allowed.indices.filter { allowed[$0] && !(schema.variables[s].isMissing[$0] && !variable.isMissing[Int(c)]) }
                guard !codes.isEmpty else { return false }
                ok = force(&record, s, UInt16(codes[rng.below(codes.count)])) && ok
            }
            return ok
        case .count:
            return false
        }
    }

    // MARK: calibration

    /// Moves records until every target is within its printed precision or `iterations` moves were tried.
    /// Of the targeted moves, `swapMoves` exchange all answers of two respondents and `partialMoves` the answers to one
    /// question (a share `partialNet` of those only when the target as a whole comes closer); with probability
    /// `bestOf` a targeted move is the best (lowest loss change) of `candidates` proposals. With probability
    /// `chainMoves` a targeted move is a chain of up to `chainLength` moves (see `chain` below), taken or undone as one.
    public mutating func calibrate(targets: [CalibrationTarget], weights: [Double], iterations: Int, margin: Double = 0.98,
                                   startTemperature: Double = 2, endTemperature: Double = 0.002, randomMoves: Double = 0.1, swapMoves: Double = 0.25, partialMoves: Double = 0.25, partialNet: Double = 0.5,
                                   bestOf: Double = 0.5, candidates: Int = 4, dropout: Double = 0.3, cycles: Int = 3, copyMoves: Double = 0,
                                   chainMoves: Double = 0, chainLength: Int = 4, chainCandidates: Int = 8,
                                   progressEvery: Int = 50_000, progress: ((CalibrationProgress) -> Void)? = nil) throws -> CalibrationResult {
        precondition(weights.count == records.count, "one weight per record")
        let compiled = try targets.map { try CompiledTarget($0, schema: schema, codebook: codebook) }
        let nT = compiled.count
        let flat = FlatTargets(compiled)
        defer { flat.deallocate() }
        /// Every target's weighted numerator and denominator and its count, from scratch.
        func sums() -> (num: [Double], den: [Double], cnt: [Int]) {
            var num = [Double](repeating: 0, count: nT), den = [Double](repeating: 0, count: nT), cnt = [Int](repeating: 0, count: nT)
            for (r, record) in records.enumerated() {
                for t in 0..<nT {
                    let (inDen, x) = compiled[t].contribution(record)
                    if inDen { den[t] += weights[r]; num[t] += weights[r] * x; cnt[t] += 1 }
                }
            }
            return (num, den, cnt)
        }
        var (num, den, cnt) = sums()
        var lossOf = (0..<nT).map { compiled[$0].loss(numerator: num[$0], denominator: den[$0], count: cnt[$0], margin: margin) }
        var total = lossOf.reduce(0, +)
        var dependents = (0...schema.variables.count).map { _ in [Int]() }
        for (t, c) in compiled.enumerated() { for v in c.variables { dependents[v].append(t) } }
        var stamp = [Int](repeating: -1, count: nT)
        var touched: [Int] = []
        var newNum = [Double](repeating: 0, count: nT), newDen = newNum, newCnt = cnt, newLoss = lossOf
        var violated = (0..<nT).filter { lossOf[$0] > 0 }
        let mutable = (0..<schema.rawCount).filter { !fixed[$0] && schema.variables[$0].type != .text }
        var targetedRaw = [Bool](repeating: false, count: schema.variables.count)
        for c in compiled { for v in c.variables { for r in sourcesOf[v] { targetedRaw[r] = true } } }
        // Geometric cooling in `cycles` rounds: the first from startTemperature, later ones reheated to a tenth of it.
        let perCycle = max(1, iterations / max(1, cycles))
        var cycleStart = startTemperature
        var cooling = perCycle > 1 ? pow(endTemperature / cycleStart, 1 / Double(perCycle - 1)) : 1
        var temperature = startTemperature
        var iteration = 0

        /// A proposed change (one record, or two): toward target `t`, or a random redraw when `t` < 0.
        func propose(_ t: Int) -> [(Int, [UInt16])]? {
            var r = 0
            var proposal: [UInt16] = []
            var second: (record: Int, proposal: [UInt16])? = nil
            var forcedVar: Int? = nil
            if t < 0 {
                r = rng.below(records.count)
                proposal = records[r]
                let v = mutable[rng.below(mutable.count)]
                // A variable no target reads is redrawn from its prior as it stands (the current answer included),
                // so that its distribution stays the prior's; excluding the current answer would drift it toward
                // uniform over the many moves the loss never refuses.
                proposal[v] = draw(v, proposal, excluding: targetedRaw[v] ? Int(proposal[v]) : nil)
                forcedVar = v
            } else {
                let c = compiled[t]
                let u = rng.unit()
                let move = u < swapMoves ? swapMove(c, num: num[t], den: den[t], count: cnt[t])
                    : u < swapMoves + partialMoves ? partialMove(c, num: num[t], den: den[t], count: cnt[t], weights: weights, netShare: partialNet)
                    : u < swapMoves + partialMoves + copyMoves ? copyMove(c, num: num[t], den: den[t], count: cnt[t])
                    : targetedMove(c, num: num[t], den: den[t], count: cnt[t], margin: margin)
                guard let move else { return nil }
                switch move {
                case .force(let record, let variable, let code):
                    r = record
                    proposal = records[r]
                    guard force(&proposal, variable, code) else { return nil }
                    forcedVar = variable
                case .stop(let record, let position):
                    r = record
                    proposal = records[r]
                    setStop(&proposal, position)
                case .swap(let a, let b):
                    r = a
                    (proposal, second) = swapped(a, b)
                case .partial(let a, let b, let question):
                    r = a
                    (proposal, second) = swapped(a, b, question: question)
                    if proposal == records[a] && second!.proposal == records[b] { return nil }
                case .copy(let a, let b):
                    r = a
                    proposal = copied(a, from: b)
                }
            }
            if second == nil {
                repair(&proposal, old: records[r], forced: forcedVar, dropout: dropout)
                if proposal == records[r] { return nil }
            }
            var changes = [(r, proposal)]
            if let second { changes.append(second) }
            return changes
        }
        var evaluation = 0
        /// The change of the loss if `changes` were made; fills `touched` and the targets' new sums.
        func evaluate(_ changes: [(Int, [UInt16])]) -> Double {
            evaluation += 1
            touched.removeAll(keepingCapacity: true)
            for (k, new) in changes {
                let old = records[k]
                for v in 0..<new.count where new[v] != old[v] {
                    for t in dependents[v] where stamp[t] != evaluation {
                        stamp[t] = evaluation
                        touched.append(t)
                    }
                }
            }
            var delta = 0.0
            for t in touched {
                let c = compiled[t]
                var n = num[t], d = den[t], m = cnt[t]
                for (k, new) in changes {
                    let w = weights[k]
                    let (a, x) = records[k].withUnsafeBufferPointer { flat.contribution(t, $0.baseAddress!) }
                    let (b, y) = new.withUnsafeBufferPointer { flat.contribution(t, $0.baseAddress!) }
                    n += (b ? w * y : 0) - (a ? w * x : 0)
                    d += (b ? w : 0) - (a ? w : 0)
                    m += (b ? 1 : 0) - (a ? 1 : 0)
                }
                if abs(d) < 1e-9 { d = 0; n = 0 }
                newNum[t] = n; newDen[t] = d; newCnt[t] = m
                newLoss[t] = c.loss(numerator: n, denominator: d, count: m, margin: margin)
                delta += newLoss[t] - lossOf[t]
            }
            return delta
        }

        /// Makes the changes `evaluate` last measured (its `touched` targets and their new sums).
        func apply(_ changes: [(Int, [UInt16])], delta: Double) {
            for (k, new) in changes { records[k] = new }
            for t in touched {
                num[t] = newNum[t]; den[t] = newDen[t]; cnt[t] = newCnt[t]; lossOf[t] = newLoss[t]
            }
            total += delta
        }

        /// An ejection chain (Glover 1996, "Ejection chains, reference structures and alternating path methods for
        /// traveling salesman problems"): a move that brings violated target `start` closer is made even when it
        /// breaks others; each further link is the best of `chainCandidates` moves toward one of the targets the
        /// chain broke (met before it, violated now), changing respondents no earlier link changed. The chain ends
        /// as soon as its total change of the loss is negative, or after `chainLength` links; it is kept by the
        /// annealing's rule on that total and otherwise undone link by link. A knot where one respondent more in a
        /// cell pushes a neighbouring figure over its edge needs such a sequence: each single link is refused on
        /// its own.
        func chain(_ start: Int) {
            var undoRecords: [(Int, [UInt16])] = []
            var undoTargets: [(t: Int, num: Double, den: Double, cnt: Int, loss: Double)] = []
            var before: [Int: Double] = [:]  // each touched target's loss before the chain
            var chainDelta = 0.0
            var focus = start
            for _ in 0..<chainLength {
                var best: [(Int, [UInt16])] = []
                var bestDelta = Double.infinity
                for _ in 0..<chainCandidates {
                    // A link changes respondents the chain has not changed yet (else the best link is often the
                    // undoing of an earlier one), and must bring its own target closer.
                    guard let changes = propose(focus), !changes.contains(where: { k, _ in undoRecords.contains { $0.0 == k } }) else { continue }
                    let d = evaluate(changes)
                    guard stamp[focus] == evaluation, newLoss[focus] < lossOf[focus] else { continue }
                    if d < bestDelta { bestDelta = d; best = changes }
                }
                guard !best.isEmpty else { break }
                let d = evaluate(best)
                for (k, _) in best { undoRecords.append((k, records[k])) }
                for t in touched {
                    undoTargets.append((t, num[t], den[t], cnt[t], lossOf[t]))
                    if before[t] == nil { before[t] = lossOf[t] }
                }
                apply(best, delta: d)
                chainDelta += d
                if chainDelta < 0 { break }
                let broken = before.keys.filter { before[$0]! == 0 && lossOf[$0] > 0 }.sorted()
                if !broken.isEmpty { focus = broken[rng.below(broken.count)] }
                else if lossOf[start] > 0 { focus = start }
                else { break }
            }
            if undoRecords.isEmpty || chainDelta <= 0 || rng.unit() < exp(-chainDelta / temperature) {
                if total < 1e-9 { total = lossOf.reduce(0, +) }
                return
            }
            for (k, old) in undoRecords.reversed() { records[k] = old }
            for u in undoTargets.reversed() { num[u.t] = u.num; den[u.t] = u.den; cnt[u.t] = u.cnt; lossOf[u.t] = u.loss }
            total -= chainDelta
        }

        while iteration < iterations && total > 0 {
            iteration += 1
            temperature *= cooling
            if iteration % perCycle == 0 && iteration < iterations {
                cycleStart = startTemperature / 10
                cooling = perCycle > 1 ? pow(endTemperature / cycleStart, 1 / Double(perCycle - 1)) : 1
                temperature = cycleStart
            }
            if iteration % 1000 == 0 { violated = (0..<nT).filter { lossOf[$0] > 0 } }
            if let progress, iteration % progressEvery == 0 {
                progress(CalibrationProgress(iteration: iteration, iterations: iterations, loss: total,
                                             violated: (0..<nT).filter { lossOf[$0] > 0 }.count, targets: nT, temperature: temperature))
            }
            // Propose: one record changed, or two records' answers swapped. Sometimes the best of a few
            // proposals toward the same target (the one that disturbs the other targets least).
            let targeted = !violated.isEmpty && rng.unit() >= randomMoves
            let t = targeted ? violated[rng.below(violated.count)] : -1
            if targeted && chainMoves > 0 && rng.unit() < chainMoves {
                chain(t)
                continue
            }
            let tries = targeted && rng.unit() < bestOf ? candidates : 1
            var best: [(Int, [UInt16])] = []
            var bestDelta = Double.infinity
            for _ in 0..<tries {
                guard let changes = propose(t) else { continue }
                let d = evaluate(changes)
                if d < bestDelta { bestDelta = d; best = changes }
            }
            guard !best.isEmpty else { continue }
            let changes = best
            let delta = tries > 1 ? evaluate(changes) : bestDelta
            if delta <= 0 || rng.unit() < exp(-delta / temperature) {
                apply(changes, delta: delta)
                if total < 1e-9 { total = lossOf.reduce(0, +) }
            }
        }
        // Recompute from scratch (no drift from incremental sums).
        (num, den, cnt) = sums()
        let drift = abs(total - (0..<nT).map { compiled[$0].loss(numerator: num[$0], denominator: den[$0], count: cnt[$0], margin: margin) }.reduce(0, +))
        lossOf = (0..<nT).map { compiled[$0].loss(numerator: num[$0], denominator: den[$0], count: cnt[$0], margin: 1) }
        progress?(CalibrationProgress(iteration: iteration, iterations: iterations, loss: lossOf.reduce(0, +),
                                      violated: lossOf.filter { $0 > 0 }.count, targets: nT, temperature: temperature))
        return CalibrationResult(iterations: iteration, loss: lossOf.reduce(0, +), drift: drift, targets: (0..<nT).map { t in
            let c = compiled[t]
            return .init(id: c.id, published: c.published,
                         reached: c.isCount ? Double(cnt[t]) : c.estimate(numerator: num[t], denominator: den[t]),
                         isCount: c.isCount, met: lossOf[t] == 0)
        })
    }

    enum Move {
        case force(record: Int, variable: Int, code: UInt16)
        case stop(record: Int, position: Int)
        /// Exchange the two records' answers (everything but the fixed variables).
        case swap(Int, Int)
        /// Exchange the two records' answers to one question (a variable or a multiple-response set).
        case partial(Int, Int, [Int])
        /// The first record takes over every answer of the second (its fixed variables stay its own).
        case copy(Int, Int)
    }

    /// A copy toward a target: a respondent on the wrong side takes over all answers of one on the right side
    /// (a count too low: one outside the cell whose design cell fits becomes a copy of one inside; too high: one
    /// inside becomes a copy of one outside; a share: one of the cell with a value on the wrong side of the
    /// published figure becomes a copy of one of the cell with a value on the right side). Unlike a swap it changes
    /// the marginal counts, by one respondent's answers; what it keeps is the consistency of a whole questionnaire,
    /// so a respondent moves into or out of a cell with answers that fit the cell's other figures.
    mutating func copyMove(_ c: CompiledTarget, num: Double, den: Double, count: Int) -> Move? {
        let n = records.count
        let fixedConditions = c.conditions.filter { fixed[$0.variable] }
        func fitsFixed(_ r: [UInt16]) -> Bool { fixedConditions.allSatisfy { $0.allowed[Int(r[$0.variable])] } }
        var a = -1
        let wantIn: Bool
        var wanted: (Double) -> Bool = { _ in true }
        if c.isCount {
            let low = Double(count) < c.published
            for _ in 0..<64 {
                let k = rng.below(n)
                if fitsFixed(records[k]) && c.contribution(records[k]).inDenominator != low { a = k; break }
            }
            wantIn = low
        } else {
            let estimate = c.estimate(numerator: num, denominator: den)
            let up = estimate.isNaN || estimate < c.published
            let p = c.published / c.scale
            for _ in 0..<64 {
                let k = rng.below(n)
                let (inDen, x) = c.contribution(records[k])
                if inDen && (up ? x < p : x > p) { a = k; break }
            }
            wantIn = true
            wanted = { up ? $0 > p : $0 < p }
        }
        guard a >= 0 else { return nil }
        for _ in 0..<64 {
            let b = rng.below(n)
            guard b != a else { continue }
            // The answers of b in a's design cell: the conditions on fixed variables are a's.
            let (inDen, x) = c.contribution(copied(a, from: b))
            if inDen == wantIn && (!inDen || wanted(x)) { return .copy(a, b) }
        }
        return nil
    }

    /// Record a with every non-fixed answer (and the stop position) of record b, derived variables recomputed.
    func copied(_ a: Int, from b: Int) -> [UInt16] {
        var record = records[a]
        for v in 0..<schema.rawCount where !fixed[v] { record[v] = records[b][v] }
        record[stopSlot] = records[b][stopSlot]
        schema.derive(&record)
        return record
    }

    /// A swap toward a share or mean target: a respondent of the target's cell with a lower (higher) value
    /// exchanges answers with a respondent elsewhere with a higher (lower) one, so that the answer moves between
    /// cells of the fixed variables while every marginal count of the answers stays the same.
    mutating func swapMove(_ c: CompiledTarget, num: Double, den: Double, count: Int) -> Move? {
        if c.isCount { return countSwapMove(c, count: count) }
        let estimate = c.estimate(numerator: num, denominator: den)
        let up = estimate.isNaN || estimate < c.published
        let n = records.count
        // Sometimes move a missing answer into the cell instead (a group of 78 shows 70% only with 77 answering).
        let intoMissing = rng.unit() < 0.3
        for _ in 0..<64 {
            let a = rng.below(n)
            let (inDen, x) = c.contribution(records[a])
            guard inDen else { continue }
            if intoMissing {
                guard up ? x < c.published / c.scale : x > c.published / c.scale else { continue }
                for _ in 0..<32 {
                    let b = rng.below(n)
                    if b != a && !c.denominator[Int(records[b][c.row])] { return .swap(a, b) }
                }
                return nil
            }
            for _ in 0..<32 {
                let b = rng.below(n)
                let code = Int(records[b][c.row])
                guard b != a, c.denominator[code], up ? c.value[code] > x : c.value[code] < x else { continue }
                return .swap(a, b)
            }
            return nil
        }
        return nil
    }

    /// A swap toward a count whose cell lies in a design cell (a group of a fixed variable): a respondent of the
    /// design cell who is outside the counted cell exchanges answers with a respondent of another design cell whose
    /// answers would count (count too low), or the other way round (too high). Every marginal count of the answers
    /// stays; the counted respondent moves between design cells.
    mutating func countSwapMove(_ c: CompiledTarget, count: Int) -> Move? {
        let fixedConditions = c.conditions.filter { fixed[$0.variable] }
        guard !fixedConditions.isEmpty else { return nil }
        let low = Double(count) < c.published
        func fitsFixed(_ r: [UInt16]) -> Bool { fixedConditions.allSatisfy { $0.allowed[Int(r[$0.variable])] } }
        func answersFit(_ r: [UInt16]) -> Bool {
            c.denominator[Int(r[c.row])] && c.conditions.allSatisfy { fixed[$0.variable] || $0.allowed[Int(r[$0.variable])] }
        }
        let n = records.count
        for _ in 0..<64 {
            let a = rng.below(n)
            guard fitsFixed(records[a]), answersFit(records[a]) != low else { continue }
            for _ in 0..<64 {
                let b = rng.below(n)
                if b != a && !fitsFixed(records[b]) && answersFit(records[b]) == low { return .swap(a, b) }
            }
            return nil
        }
        return nil
    }

    /// An exchange of the answers to one question between two respondents, toward a target: the question is one
    /// the target reads (its row or a condition); one respondent is on the wrong side of the target (a share: in
    /// the cell with the wrong answer; a count too low: outside the cell, too high: inside), the other one has
    /// answers that move the first to the right side. The question's marginal counts stay (a missing answer moves
    /// with the others, so item non-response moves between respondents too).
    mutating func partialMove(_ c: CompiledTarget, num: Double, den: Double, count: Int, weights: [Double], netShare: Double) -> Move? {
        let n = records.count
        let low = c.isCount && Double(count) < c.published
        let estimate = c.isCount ? 0 : c.estimate(numerator: num, denominator: den)
        let up = !c.isCount && (estimate.isNaN || estimate < c.published)
        let fixedConditions = c.conditions.filter { fixed[$0.variable] }
        /// Whether `new` (the record with the other answers) is better for the target than `old`.
        func better(_ old: [UInt16], _ new: [UInt16]) -> Bool {
            let (a, x) = c.contribution(old), (b, y) = c.contribution(new)
            if c.isCount { return low ? b && !a : a && !b }
            if a && b { return up ? y > x : y < x }
            if a { return up ? x < c.published / c.scale : x > c.published / c.scale }
            return b && (up ? y > c.published / c.scale : y < c.published / c.scale)
        }
        // The respondent to move and the variables (row or conditions) whose answers would move it.
        var a = -1
        var variables: [Int] = []
        if low {
            // Outside the cell: the closest of a few candidates, and one of the answers that keep it out.
            var best = Int.max
            for _ in 0..<48 {
                let k = rng.below(n)
                let record = records[k]
                guard !c.contribution(record).inDenominator, fixedConditions.allSatisfy({ $0.allowed[Int(record[$0.variable])] }) else { continue }
                var failing = c.conditions.filter { !$0.allowed[Int(record[$0.variable])] }.map(\.variable)
                if !c.denominator[Int(record[c.row])] { failing.append(c.row) }
                if failing.count < best || (failing.count == best && rng.below(2) == 0) { best = failing.count; a = k; variables = failing }
            }
        } else {
            for _ in 0..<64 {
                let k = rng.below(n)
                let (inDen, x) = c.contribution(records[k])
                guard inDen else { continue }
                if !c.isCount && !(up ? x < c.published / c.scale : x > c.published / c.scale) { continue }
                a = k
                break
            }
            variables = [c.row] + (c.isCount ? c.conditions.map(\.variable) : [])
        }
        guard a >= 0 else { return nil }
        let sources = variables.flatMap { sourcesOf[$0] }.filter { !fixed[$0] && schema.variables[$0].type != .text }
        guard !sources.isEmpty else { return nil }
        let question = questionOf[sources[rng.below(sources.count)]]
        // The other respondent: one whose answers move the first to the right side, and with whom the target as
        // a whole (both respondents changed) comes closer to the published figure.
        let distance = c.isCount ? abs(Double(count) - c.published) : abs(estimate - c.published)
        let net = rng.unit() < netShare
        for _ in 0..<64 {
            let b = rng.below(n)
            guard b != a, question.contains(where: { records[a][$0] != records[b][$0] }) else { continue }
            var trialA = records[a], trialB = records[b]
            for v in question { swap(&trialA[v], &trialB[v]) }
            schema.derive(&trialA)
            guard better(records[a], trialA) else { continue }
            if !net { return .partial(a, b, question) }
            schema.derive(&trialB)
            var m = Double(count), nu = num, de = den
            for (k, new) in [(a, trialA), (b, trialB)] {
                let (i, x) = c.contribution(records[k]), (j, y) = c.contribution(new)
                let w = weights[k]
                m += (j ? 1 : 0) - (i ? 1 : 0)
                nu += (j ? w * y : 0) - (i ? w * x : 0)
                de += (j ? w : 0) - (i ? w : 0)
            }
            let after = c.isCount ? abs(m - c.published) : abs(c.estimate(numerator: nu, denominator: de) - c.published)
            if after < distance || estimate.isNaN { return .partial(a, b, question) }
        }
        return nil
    }

    /// Records a and b with their answers to `question` exchanged, each repaired.
    mutating func swapped(_ a: Int, _ b: Int, question: [Int]) -> ([UInt16], (record: Int, proposal: [UInt16])) {
        var ra = records[a], rb = records[b]
        for v in question { swap(&ra[v], &rb[v]) }
        // A respondent who had stopped before the question now reaches it (and the other one keeps its answers).
        let first = question.min()!
        if isValid(first, ra[first]) && Int(ra[stopSlot]) <= first { setStop(&ra, schema.rawCount) }
        if isValid(first, rb[first]) && Int(rb[stopSlot]) <= first { setStop(&rb, schema.rawCount) }
        let oldA = records[a], oldB = records[b]
        repair(&ra, old: oldA, forced: nil)
        repair(&rb, old: oldB, forced: nil)
        return (ra, (b, rb))
    }

    /// Records a and b with their non-fixed answers exchanged, each repaired for its own fixed variables.
    mutating func swapped(_ a: Int, _ b: Int) -> ([UInt16], (record: Int, proposal: [UInt16])) {
        var ra = records[a], rb = records[b]
        for v in 0..<schema.rawCount where !fixed[v] { swap(&ra[v], &rb[v]) }
        swap(&ra[stopSlot], &rb[stopSlot])
        let oldA = ra, oldB = rb
        repair(&ra, old: oldA, forced: nil)
        repair(&rb, old: oldB, forced: nil)
        return (ra, (b, rb))
    }

    /// A move toward a target: which record, and which answer (or drop-out position) to change.
    mutating func targetedMove(_ c: CompiledTarget, num: Double, den: Double, count: Int, margin: Double) -> Move? {
        let n = records.count
        func sample(_ accept: ([UInt16]) -> Bool) -> Int? {
            for _ in 0..<64 {
                let r = rng.below(n)
                if accept(records[r]) { return r }
            }
            let start = rng.below(n)
            for k in 0..<n where accept(records[(start + k) % n]) { return (start + k) % n }
            return nil
        }
        let rowDomain = schema.variables[c.row].domain.indices
        let rowSources = sourcesOf[c.row].filter { !fixed[$0] }
        if c.isCount {
            let needed = (c.conditions.flatMap { sourcesOf[$0.variable] } + sourcesOf[c.row]).filter { !fixed[$0] }.max() ?? 0
            if Double(count) < c.published {
                // Bring a respondent into the cell: let a drop-out answer further, fix a failing condition, or answer the row.
                // Only respondents whose fixed answers (design cells) already fit the cell can be moved in.
                let fixedConditions = c.conditions.filter { fixed[$0.variable] }
                let accept: ([UInt16]) -> Bool = { record in
                    !c.contribution(record).inDenominator && fixedConditions.allSatisfy { $0.allowed[Int(record[$0.variable])] }
                }
                // Mostly the closest of a few candidates (fewest answers to change: a victim who skipped the row
                // rather than a non-victim), so that the move disturbs little else.
                var closest: Int? = nil
                if rng.unit() < 0.6 {
                    var best = Int.max
                    for _ in 0..<48 {
                        let k = rng.below(n)
                        let record = records[k]
                        guard accept(record) else { continue }
                        var d = Int(record[stopSlot]) <= needed ? 1 : 0
                        for (v, allowed) in c.conditions where !allowed[Int(record[v])] { d += 1 }
                        if !c.denominator[Int(record[c.row])] { d += 1 }
                        if d < best { best = d; closest = k }
                    }
                }
                guard let r = closest ?? sample(accept) else { return nil }
                let record = records[r]
                let stop = Int(record[stopSlot])
                if stop <= needed {
                    let to = rng.unit() < 0.5 ? schema.rawCount : needed + 1 + rng.below(schema.rawCount - needed)
                    return .stop(record: r, position: to)
                }
                for (v, allowed) in c.conditions where !allowed[Int(record[v])] {
                    let options = allowed.indices.filter { allowed[$0] }
                    return .force(record: r, variable: v, code: UInt16(options[rng.below(options.count)]))
                }
                let options = rowDomain.filter { c.denominator[$0] }
                guard !options.isEmpty else { return nil }
                return .force(record: r, variable: c.row, code: UInt16(options[rng.below(options.count)]))
            }
            guard let r = sample({ c.contribution($0).inDenominator }) else { return nil }
            // Take a respondent out: a drop-out before the row's question, no answer to it (item non-response),
            // or another answer to a condition.
            let u = rng.unit()
            if let first = rowSources.min(), u < 0.5 {
                return .stop(record: r, position: first)
            }
            if u < 0.8, !rowSources.isEmpty {
                let v = rowSources[rng.below(rowSources.count)]
                return .force(record: r, variable: v, code: emptyCode[v])
            }
            let choices = c.conditions.map(\.variable).filter { !fixed[$0] }
            guard !choices.isEmpty else { return nil }
            let v = choices[rng.below(choices.count)]
            let allowed = c.conditions.first { $0.variable == v }!.allowed
            let options = allowed.indices.filter { !allowed[$0] && !schema.variables[v].isMissing[$0] }
            guard !options.isEmpty else { return nil }
            return .force(record: r, variable: v, code: UInt16(options[rng.below(options.count)]))
        }
        let estimate = c.estimate(numerator: num, denominator: den)
        let up = estimate.isNaN || estimate < c.published
        // Sometimes change the denominator instead: a respondent on the wrong side stops before the question, or
        // one who stopped before it answers further (a group of 78 can only show 70% with 77 answering).
        if rng.unit() < 0.15, let first = rowSources.min() {
            if rng.unit() < 0.5 {
                guard let r = sample({ record in
                    let (inDen, x) = c.contribution(record)
                    return inDen && (up ? x < c.published / c.scale : x > c.published / c.scale)
                }) else { return nil }
                return .stop(record: r, position: first)
            }
            guard let r = sample({ record in
                !c.contribution(record).inDenominator && Int(record[stopSlot]) <= first
                    && c.conditions.allSatisfy { $0.allowed[Int(record[$0.variable])] || sourcesOf[$0.variable].contains { $0 >= first } }
            }) else { return nil }
            return .stop(record: r, position: schema.rawCount)
        }
        guard let r = sample({ record in
            let (inDen, x) = c.contribution(record)
            guard inDen else { return false }
            return up ? rowDomain.contains { c.denominator[$0] && c.value[$0] > x } : rowDomain.contains { c.denominator[$0] && c.value[$0] < x }
        }) else { return nil }
        let x = c.value[Int(records[r][c.row])]
        let options = rowDomain.filter { c.denominator[$0] && (up ? c.value[$0] > x : c.value[$0] < x) }
        return .force(record: r, variable: c.row, code: UInt16(options[rng.below(options.count)]))
    }

    // MARK: output

    /// Values of some variables per record (for weighting).
    public func values(of names: [String]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in names {
            guard let v = schema.index[name] else { continue }
            out[name] = records.map { schema.variables[v].domain[Int($0[v])] }
        }
        return out
    }

    /// A CSV encoder for this survey's records (see `SyntheticCSVEncoder`): `total` respondents (it sets the width
    /// of the ids), `attitudeItems` Likert items appended, drawn from their own stream of `seed`.
    public func csvEncoder(total: Int? = nil, attitudeItems: Int = 0, seed: UInt64 = 0) -> SyntheticCSVEncoder {
        SyntheticCSVEncoder(codebook: codebook, schema: schema, id: model.id, total: total ?? records.count,
                            attitudeItems: attitudeItems, seed: seed, stopSlot: stopSlot)
    }

    /// The canonical file: every non-derived codebook variable in codebook order.
    public func table() -> (header: [String], rows: [[String]]) {
        let header = codebook.variables.map(\.name)
        let width = String(max(model.id.digits, String(records.count).count))
        let rows = records.enumerated().map { i, record in
            codebook.variables.map { v -> String in
                if v.type == .id { return model.id.prefix + String(format: "%0\(width)d", i + 1) }
                guard let k = schema.index[v.name] else { return "" }
                return schema.variables[k].domain[Int(record[k])]
            }
        }
        return (header, rows)
    }
}

/// Writes synthetic records as CSV bytes, row after row, without building strings per cell: every codebook
/// variable in codebook order (the same bytes as `Synthesizer.table()` through `CSVWriter`), then optionally
/// `attitudeItems` attitude items `houding_01`, `houding_02`, ... (Likert 1-5, `weet_niet` about 3%; empty for a
/// respondent who stopped before the end of the questionnaire). The attitude answers come from their own
/// generator (seeded from the run's seed), so they never change the survey answers of a seed; with 0 items the
/// output is byte-identical to the file without them. Used to write files of any size in constant memory.
public struct SyntheticCSVEncoder {
    enum Column {
        case id
        case variable(Int)
        case empty
    }
    public let header: [String]
    let columns: [Column]
    /// Per schema variable: the CSV bytes of each domain entry.
    let cells: [[[UInt8]]]
    let idPrefix: [UInt8]
    let idWidth: Int
    let idSafe: Bool
    let idPrefixString: String
    public let attitudeItems: Int
    var attitudes: SeededGenerator
    let attitudeCodes: [[UInt8]]
    let attitudeMissing: [UInt8]
    let stopSlot: Int
    let complete: UInt16

    /// Likert 1-5: cumulative shares (somewhat agreeing answers are the most common).
    static let likert: [Double] = [0.07, 0.22, 0.52, 0.85, 1.0]
    static let attitudeMissingShare = 0.03

    init(codebook: Codebook, schema: RecordSchema, id: SynthesisModel.IDSpec, total: Int, attitudeItems: Int, seed: UInt64, stopSlot: Int) {
        var header = codebook.variables.map(\.name)
        let digits = String(max(attitudeItems, 1)).count
        let itemNames = (0..<attitudeItems).map { k -> String in
            let number = String(k + 1)
            return "houding_" + String(repeating: "0", count: max(0, max(2, digits) - number.count)) + number
        }
        header += itemNames
        self.header = header
        columns = codebook.variables.map { v in
            if v.type == .id { return .id }
            guard let k = schema.index[v.name] else { return .empty }
            return .variable(k)
        }
        cells = schema.variables.map { v in v.domain.map { Array(CSVWriter.cell($0).utf8) } }
        idPrefixString = id.prefix
        idPrefix = Array(id.prefix.utf8)
        idWidth = max(id.digits, String(total).count)
        idSafe = CSVWriter.cell(id.prefix + "0") == id.prefix + "0"
        self.attitudeItems = attitudeItems
        attitudes = SeededGenerator(seed: seed ^ 0x6174_7469_7475_6465)  // "attitude"
        attitudeCodes = (1...5).map { Array(String($0).utf8) }
        let missing = codebook.missing.map(\.code).first { !$0.isEmpty } ?? ""
        attitudeMissing = Array(CSVWriter.cell(missing).utf8)
        self.stopSlot = stopSlot
        complete = UInt16(schema.rawCount)
    }

    /// The header line.
    public func headerBytes() -> [UInt8] {
        Array((header.map { CSVWriter.cell($0) }.joined(separator: ",") + "\n").utf8)
    }

    /// Appends the CSV line of record `record` (0-based `index`, which gives its id) to `out`.
    public mutating func append(_ record: [UInt16], index: Int, to out: inout [UInt8]) {
        var first = true
        for column in columns {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch column {
            case .id:
                if idSafe {
                    out += idPrefix
                    var digits: [UInt8] = []
                    var x = index + 1
                    repeat { digits.append(UInt8(ascii: "0") + UInt8(x % 10)); x /= 10 } while x > 0
                    if digits.count < idWidth { out += repeatElement(UInt8(ascii: "0"), count: idWidth - digits.count) }
                    out += digits.reversed()
                } else {
                    out += Array(CSVWriter.cell(idPrefixString + String(format: "%0\(idWidth)d", index + 1)).utf8)
                }
            case .variable(let k):
                out += cells[k][Int(record[k])]
            case .empty:
                break
            }
        }
        if attitudeItems > 0 {
            let stopped = record.count > stopSlot && record[stopSlot] < complete
            for _ in 0..<attitudeItems {
                out.append(UInt8(ascii: ","))
                let u = attitudes.unit()
                if stopped { continue }
                if u < Self.attitudeMissingShare {
                    out += attitudeMissing
                } else {
                    let v = (u - Self.attitudeMissingShare) / (1 - Self.attitudeMissingShare)
                    out += attitudeCodes[Self.likert.firstIndex { v < $0 } ?? 4]
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }
}
