import Foundation

/// The calibration's moves toward a target: force an answer, move a stop, exchange or copy respondents' answers.
extension Synthesizer {
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
}
