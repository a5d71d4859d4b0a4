import Foundation

/// The questionnaire's rules: routing, multiple-response sets, consistency and structural values, applied after
/// every change of a record (generation, the calibration's moves, `--set`).
extension Synthesizer {
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
            for (items, nones) in exclusive { normalize(&record, items: items, nones: nones, forced: forced) }
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
                    for (j, items) in rule.sets.enumerated() { normalize(&record, items: items, nones: routingSetNone[k][j], forced: nil) }
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
    mutating func normalize(_ record: inout [UInt16], items: [Int], nones: [Int], forced: Int?) {
        let validCount = items.filter { isValid($0, record[$0]) }.count
        if validCount == 0 { return }
        if validCount < items.count {
            if let forced, items.contains(forced), !isValid(forced, record[forced]) {
                for i in items { record[i] = record[forced] }
                return
            }
            for i in items where !isValid(i, record[i]) { record[i] = code(i, "0")! }
        }
        // A ticked exclusive item: kept alone when it is the answer just set, else it gives way to the others
        // (an ordinary item first, then the first exclusive one).
        let ticked = items.filter { record[$0] == code($0, "1") }
        if ticked.contains(where: { nones.contains($0) }) && ticked.count > 1 {
            let keep: [Int]
            if let forced, nones.contains(forced), ticked.contains(forced) { keep = [forced] }
            else if ticked.contains(where: { !nones.contains($0) }) { keep = ticked.filter { !nones.contains($0) } }
            else { keep = [ticked.first { nones.contains($0) }!] }
            for i in ticked where !keep.contains(i) { record[i] = code(i, "0")! }
        }
        if !items.contains(where: { record[$0] == code($0, "1") }) {
            if let none = nones.first, forced.map({ !nones.contains($0) }) ?? true {
                record[none] = code(none, "1")!
            } else {
                let candidates = items.filter { $0 != forced && !nones.contains($0) }
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
}
