import Foundation

/// The settings of a calibration run (`Synthesizer.calibrate`): the annealing's schedule and the mix of moves.
public struct CalibrationOptions: Sendable {
    /// Moves to try at most (the run also ends when every target is met).
    public var iterations: Int
    /// A share's window is the printed precision times this (0.98: a little inside the rounding edge).
    public var margin: Double = 0.98
    /// Geometric cooling from `startTemperature` to `endTemperature` in each of `cycles` rounds (later rounds are
    /// reheated to a tenth of the start).
    public var startTemperature: Double = 2
    public var endTemperature: Double = 0.002
    public var cycles: Int = 3
    /// Share of moves that redraw a random answer instead of aiming at a violated target.
    public var randomMoves: Double = 0.1
    /// Of the targeted moves: exchange all answers of two respondents, the answers to one question (of which a share
    /// `partialNet` only when the target as a whole comes closer), or copy a respondent's answers.
    public var swapMoves: Double = 0.25
    public var partialMoves: Double = 0.25
    public var partialNet: Double = 0.5
    public var copyMoves: Double = 0
    /// With probability `bestOf` a targeted move is the best (lowest loss change) of `candidates` proposals.
    public var bestOf: Double = 0.5
    public var candidates: Int = 4
    /// Chance that the rules' repair of a changed record lets a respondent stop early (breaks off the questionnaire).
    public var dropout: Double = 0.3
    /// With probability `chainMoves` a targeted move is an ejection chain of up to `chainLength` links, each the best
    /// of `chainCandidates` proposals (see `Annealing.chain`).
    public var chainMoves: Double = 0
    public var chainLength: Int = 4
    public var chainCandidates: Int = 8
    /// Moves between two progress reports.
    public var progressEvery: Int = 50_000

    public init(iterations: Int) { self.iterations = iterations }
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

extension Synthesizer {
    /// Moves records until every target is within its printed precision or `options.iterations` moves were tried
    /// (simulated annealing; see `Annealing`). The records are the result; the return value says how far each
    /// target got.
    public mutating func calibrate(targets: [CalibrationTarget], weights: [Double], options: CalibrationOptions,
                                   progress: ((CalibrationProgress) -> Void)? = nil) throws -> CalibrationResult {
        precondition(weights.count == records.count, "one weight per record")
        let compiled = try targets.map { try CompiledTarget($0, schema: schema, codebook: codebook) }
        var run = Annealing(synthesizer: self, targets: compiled, weights: weights, options: options)
        records = []  // the run holds the only reference while it changes them
        let result = run.run(progress: progress)
        self = run.s
        return result
    }
}

/// The state of one calibration run: the synthesizer it changes, each target's weighted sums and loss, and what
/// the last evaluated move would change. A move is proposed (`propose`), its change of the loss measured from the
/// touched targets' sums alone (`evaluate`), and kept by the annealing's rule (`apply`): with probability
/// min(1, exp(−Δloss / T)) under a geometric cooling schedule (Kirkpatrick, Gelatt & Vecchi 1983).
struct Annealing {
    var s: Synthesizer
    let compiled: [CompiledTarget]
    let flat: FlatTargets
    let weights: [Double]
    let options: CalibrationOptions
    var nT: Int { compiled.count }
    /// Per target: weighted numerator, denominator and respondent count, and the loss.
    var num: [Double], den: [Double], cnt: [Int], lossOf: [Double]
    var total: Double
    /// Per variable: the targets that read it.
    var dependents: [[Int]]
    /// The targets the last `evaluate` touched (stamped with its number) and their sums after the move.
    var stamp: [Int]
    var touched: [Int] = []
    var evaluation = 0
    var newNum: [Double], newDen: [Double], newCnt: [Int], newLoss: [Double]
    var violated: [Int]
    /// Raw variables a random move may redraw, and those some target reads.
    let mutable: [Int]
    var targetedRaw: [Bool]
    var temperature: Double

    init(synthesizer: Synthesizer, targets: [CompiledTarget], weights: [Double], options: CalibrationOptions) {
        s = synthesizer
        compiled = targets
        flat = FlatTargets(targets)
        self.weights = weights
        self.options = options
        num = []; den = []; cnt = []; lossOf = []
        total = 0
        dependents = (0...synthesizer.schema.variables.count).map { _ in [Int]() }
        stamp = [Int](repeating: -1, count: targets.count)
        newNum = []; newDen = []; newCnt = []; newLoss = []
        violated = []
        mutable = (0..<synthesizer.schema.rawCount).filter { !synthesizer.fixed[$0] && synthesizer.schema.variables[$0].type != .text }
        targetedRaw = [Bool](repeating: false, count: synthesizer.schema.variables.count)
        temperature = options.startTemperature
        (num, den, cnt) = sums()
        lossOf = (0..<nT).map { compiled[$0].loss(numerator: num[$0], denominator: den[$0], count: cnt[$0], margin: options.margin) }
        total = lossOf.reduce(0, +)
        for (t, c) in compiled.enumerated() { for v in c.variables { dependents[v].append(t) } }
        newNum = [Double](repeating: 0, count: nT); newDen = newNum; newCnt = cnt; newLoss = lossOf
        violated = (0..<nT).filter { lossOf[$0] > 0 }
        for c in compiled { for v in c.variables { for r in s.sourcesOf[v] { targetedRaw[r] = true } } }
    }

    /// Every target's weighted numerator and denominator and its count, from scratch.
    func sums() -> (num: [Double], den: [Double], cnt: [Int]) {
        var num = [Double](repeating: 0, count: nT), den = [Double](repeating: 0, count: nT), cnt = [Int](repeating: 0, count: nT)
        for (r, record) in s.records.enumerated() {
            for t in 0..<nT {
                let (inDen, x) = compiled[t].contribution(record)
                if inDen { den[t] += weights[r]; num[t] += weights[r] * x; cnt[t] += 1 }
            }
        }
        return (num, den, cnt)
    }

    /// The annealing loop; at the end the sums are recomputed from the records (`drift` is how far the running loss
    /// lay from them) and the targets' results reported with the printed precision itself (margin 1).
    mutating func run(progress: ((CalibrationProgress) -> Void)?) -> CalibrationResult {
        defer { flat.deallocate() }
        let iterations = options.iterations
        // Geometric cooling in `cycles` rounds: the first from startTemperature, later ones reheated to a tenth of it.
        let perCycle = max(1, iterations / max(1, options.cycles))
        var cycleStart = options.startTemperature
        var cooling = perCycle > 1 ? pow(options.endTemperature / cycleStart, 1 / Double(perCycle - 1)) : 1
        var iteration = 0
        while iteration < iterations && total > 0 {
            iteration += 1
            temperature *= cooling
            if iteration % perCycle == 0 && iteration < iterations {
                cycleStart = options.startTemperature / 10
                cooling = perCycle > 1 ? pow(options.endTemperature / cycleStart, 1 / Double(perCycle - 1)) : 1
                temperature = cycleStart
            }
            if iteration % 1000 == 0 { violated = (0..<nT).filter { lossOf[$0] > 0 } }
            if let progress, iteration % options.progressEvery == 0 {
                progress(CalibrationProgress(iteration: iteration, iterations: iterations, loss: total,
                                             violated: (0..<nT).filter { lossOf[$0] > 0 }.count, targets: nT, temperature: temperature))
            }
            // Propose: one record changed, or two records' answers swapped. Sometimes the best of a few
            // proposals toward the same target (the one that disturbs the other targets least).
            let targeted = !violated.isEmpty && s.rng.unit() >= options.randomMoves
            let t = targeted ? violated[s.rng.below(violated.count)] : -1
            if targeted && options.chainMoves > 0 && s.rng.unit() < options.chainMoves {
                chain(t)
                continue
            }
            let tries = targeted && s.rng.unit() < options.bestOf ? options.candidates : 1
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
            if delta <= 0 || s.rng.unit() < exp(-delta / temperature) {
                apply(changes, delta: delta)
                if total < 1e-9 { total = lossOf.reduce(0, +) }
            }
        }
        // Recompute from scratch (no drift from incremental sums).
        (num, den, cnt) = sums()
        let drift = abs(total - (0..<nT).map { compiled[$0].loss(numerator: num[$0], denominator: den[$0], count: cnt[$0], margin: options.margin) }.reduce(0, +))
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

    /// A proposed change (one record, or two): toward target `t`, or a random redraw when `t` < 0.
    mutating func propose(_ t: Int) -> [(Int, [UInt16])]? {
        var r = 0
        var proposal: [UInt16] = []
        var second: (record: Int, proposal: [UInt16])? = nil
        var forcedVar: Int? = nil
        if t < 0 {
            r = s.rng.below(s.records.count)
            proposal = s.records[r]
            let v = mutable[s.rng.below(mutable.count)]
            // A variable no target reads is redrawn from its prior as it stands (the current answer included),
            // so that its distribution stays the prior's; excluding the current answer would drift it toward
            // uniform over the many moves the loss never refuses.
            proposal[v] = s.draw(v, proposal, excluding: targetedRaw[v] ? Int(proposal[v]) : nil)
            forcedVar = v
        } else {
            let c = compiled[t]
            let u = s.rng.unit()
            let move = u < options.swapMoves ? s.swapMove(c, num: num[t], den: den[t], count: cnt[t])
                : u < options.swapMoves + options.partialMoves ? s.partialMove(c, num: num[t], den: den[t], count: cnt[t], weights: weights, netShare: options.partialNet)
                : u < options.swapMoves + options.partialMoves + options.copyMoves ? s.copyMove(c, num: num[t], den: den[t], count: cnt[t])
                : s.targetedMove(c, num: num[t], den: den[t], count: cnt[t], margin: options.margin)
            guard let move else { return nil }
            switch move {
            case .force(let record, let variable, let code):
                r = record
                proposal = s.records[r]
                guard s.force(&proposal, variable, code) else { return nil }
                forcedVar = variable
            case .stop(let record, let position):
                r = record
                proposal = s.records[r]
                s.setStop(&proposal, position)
            case .swap(let a, let b):
                r = a
                (proposal, second) = s.swapped(a, b)
            case .partial(let a, let b, let question):
                r = a
                (proposal, second) = s.swapped(a, b, question: question)
                if proposal == s.records[a] && second!.proposal == s.records[b] { return nil }
            case .copy(let a, let b):
                r = a
                proposal = s.copied(a, from: b)
            }
        }
        if second == nil {
            s.repair(&proposal, old: s.records[r], forced: forcedVar, dropout: options.dropout)
            if proposal == s.records[r] { return nil }
        }
        var changes = [(r, proposal)]
        if let second { changes.append(second) }
        return changes
    }

    /// The change of the loss if `changes` were made; fills `touched` and the targets' new sums.
    mutating func evaluate(_ changes: [(Int, [UInt16])]) -> Double {
        evaluation += 1
        touched.removeAll(keepingCapacity: true)
        for (k, new) in changes {
            let old = s.records[k]
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
                let (a, x) = s.records[k].withUnsafeBufferPointer { flat.contribution(t, $0.baseAddress!) }
                let (b, y) = new.withUnsafeBufferPointer { flat.contribution(t, $0.baseAddress!) }
                n += (b ? w * y : 0) - (a ? w * x : 0)
                d += (b ? w : 0) - (a ? w : 0)
                m += (b ? 1 : 0) - (a ? 1 : 0)
            }
            if abs(d) < 1e-9 { d = 0; n = 0 }
            newNum[t] = n; newDen[t] = d; newCnt[t] = m
            newLoss[t] = c.loss(numerator: n, denominator: d, count: m, margin: options.margin)
            delta += newLoss[t] - lossOf[t]
        }
        return delta
    }

    /// Makes the changes `evaluate` last measured (its `touched` targets and their new sums).
    mutating func apply(_ changes: [(Int, [UInt16])], delta: Double) {
        for (k, new) in changes { s.records[k] = new }
        for t in touched {
            num[t] = newNum[t]; den[t] = newDen[t]; cnt[t] = newCnt[t]; lossOf[t] = newLoss[t]
        }
        total += delta
    }

    /// An ejection chain (Glover 1996, "Ejection chains, reference structures and alternating path methods for
    /// traveling salesman problems"): a move that brings violated target `start` closer is made even when it
    /// breaks others; each further link is the best of `options.chainCandidates` moves toward one of the targets the
    /// chain broke (met before it, violated now), changing respondents no earlier link changed. The chain ends
    /// as soon as its total change of the loss is negative, or after `options.chainLength` links; it is kept by the
    /// annealing's rule on that total and otherwise undone link by link. A knot where one respondent more in a
    /// cell pushes a neighbouring figure over its edge needs such a sequence: each single link is refused on
    /// its own.
    mutating func chain(_ start: Int) {
        var undoRecords: [(Int, [UInt16])] = []
        var undoTargets: [(t: Int, num: Double, den: Double, cnt: Int, loss: Double)] = []
        var before: [Int: Double] = [:]  // each touched target's loss before the chain
        var chainDelta = 0.0
        var focus = start
        for _ in 0..<options.chainLength {
            var best: [(Int, [UInt16])] = []
            var bestDelta = Double.infinity
            for _ in 0..<options.chainCandidates {
                // A link changes respondents the chain has not changed yet (else the best link is often the
                // undoing of an earlier one), and must bring its own target closer.
                guard let changes = propose(focus), !changes.contains(where: { k, _ in undoRecords.contains { $0.0 == k } }) else { continue }
                let d = evaluate(changes)
                guard stamp[focus] == evaluation, newLoss[focus] < lossOf[focus] else { continue }
                if d < bestDelta { bestDelta = d; best = changes }
            }
            guard !best.isEmpty else { break }
            let d = evaluate(best)
            for (k, _) in best { undoRecords.append((k, s.records[k])) }
            for t in touched {
                undoTargets.append((t, num[t], den[t], cnt[t], lossOf[t]))
                if before[t] == nil { before[t] = lossOf[t] }
            }
            apply(best, delta: d)
            chainDelta += d
            if chainDelta < 0 { break }
            let broken = before.keys.filter { before[$0]! == 0 && lossOf[$0] > 0 }.sorted()
            if !broken.isEmpty { focus = broken[s.rng.below(broken.count)] }
            else if lossOf[start] > 0 { focus = start }
            else { break }
        }
        if undoRecords.isEmpty || chainDelta <= 0 || s.rng.unit() < exp(-chainDelta / temperature) {
            if total < 1e-9 { total = lossOf.reduce(0, +) }
            return
        }
        for (k, old) in undoRecords.reversed() { s.records[k] = old }
        for u in undoTargets.reversed() { num[u.t] = u.num; den[u.t] = u.den; cnt[u.t] = u.cnt; lossOf[u.t] = u.loss }
        total -= chainDelta
    }
}
