/// Starting a calibration from an existing respondent file instead of fresh draws (`monitor synth --start FILE`):
/// the file's answers become the records, so that a calibration can go on where an earlier run stopped (a
/// further cooling round from a low temperature) without repeating it.
extension Synthesizer {
    /// Replaces the records by the rows of `table`, a respondent file in the survey's canonical codebook (as
    /// `monitor synth` writes it): every value must be one the synthesis model can produce (a valid or missing
    /// code; for a numeric variable one of the model's candidate values; for a text variable one of its prior's
    /// values). Derived variables are recomputed. The questionnaire's stop position is read off the answers: one
    /// past the last question answered (a set counts as one question), or complete when every later question may
    /// legitimately be empty (routed out).
    ///
    /// A raw variable that is not a column of the file (a question the codebook gained after the file was
    /// written) is drawn from the model, as a fresh run draws it: from its prior given the respondent's other
    /// answers, for a respondent whose stop position lies beyond it, and then the questionnaire's rules are
    /// applied (routing empties it where it is not asked, a multiple-response set gets its ticked item). The
    /// stop position is read off the file's columns only. The file's own answers stay as they are. The design and
    /// margin variables must be columns. `absentColumns` lists the variables drawn.
    /// Throws a `DataError` naming the file, line, column and value of the first value that does not fit.
    public mutating func load(_ table: RawTable) throws {
        var columns: [RawTextColumn?] = []
        for v in 0..<schema.rawCount {
            let name = schema.variables[v].name
            let column = table.column(named: name)
            if column == nil && fixed[v] {
                throw DataError(.missingColumn, SourcePosition(file: table.source, line: 1, columnName: name),
                                "the codebook's variable \(name) is not a column of the file (a design or margin variable, which the model does not draw)")
            }
            columns.append(column)
        }
        let absent = columns.map { $0 == nil }
        absentColumns = (0..<schema.rawCount).filter { absent[$0] }.map { schema.variables[$0].name }
        // Per column: each distinct value of the file -> domain index (resolved once, not per row).
        var lookup: [[Int: UInt16]] = []
        for (v, column) in columns.enumerated() {
            guard let column else { lookup.append([:]); continue }
            let variable = schema.variables[v]
            var map: [Int: UInt16] = [:]
            for (k, value) in column.values.enumerated() {
                if let index = code(of: value, in: variable) { map[k] = index }
            }
            lookup.append(map)
        }
        var loaded: [[UInt16]] = []
        loaded.reserveCapacity(table.rowCount)
        let slots = schema.variables.count + 1
        for row in 0..<table.rowCount {
            var record = [UInt16](repeating: 0, count: slots)
            for v in absent.indices where absent[v] { record[v] = emptyCode[v] }
            for (v, column) in columns.enumerated() {
                guard let column else { continue }
                let code = column.codes[row]
                guard let index = lookup[v][code] else {
                    let value = column.values[code]
                    let variable = schema.variables[v]
                    let expected = variable.type == .numeric
                        ? "one of the synthesis model's values " + variable.domain.filter { !$0.isEmpty }.joined(separator: ", ") + " or empty"
                        : "one of " + variable.domain.map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: ", ")
                    throw DataError(.invalidValue, table.position(row: row, column: column, value: value),
                                    "\(variable.name) must be \(expected)")
                }
                record[v] = index
            }
            record[stopSlot] = UInt16(inferredStop(record, absent: absent))
            schema.derive(&record)
            if !absentColumns.isEmpty { drawAbsent(&record, absent: absent) }
            loaded.append(record)
        }
        records = loaded
    }

    /// Draws the raw variables that the start file lacks for one record (`load`): in the order of a fresh draw,
    /// those before the record's stop position, each from its prior given the answers so far; then the
    /// questionnaire's rules, with the record as it is now as the "before" state, so that routing only empties
    /// the drawn questions that are not asked and completes the drawn sets (the file's answers already obey them).
    mutating func drawAbsent(_ record: inout [UInt16], absent: [Bool]) {
        let stop = Int(record[stopSlot])
        for v in drawOrder where absent[v] && v < stop {
            record[v] = draw(v, record)
            schema.derive(&record)
        }
        let drawn = record
        repair(&record, old: drawn, forced: nil)
    }

    /// The domain index of a file's `value` for `variable`: a code, or for a numeric variable one of the model's
    /// candidate values (a decimal comma read as a point); nil when the model cannot produce it.
    func code(of value: String, in variable: RecordSchema.Variable) -> UInt16? {
        var index = variable.index(of: value)
        if index == nil, variable.type == .numeric, let x = Double(value.replacingOccurrences(of: ",", with: ".")) {
            index = variable.number.firstIndex(of: x)
        }
        return index.map { UInt16($0) }
    }

    /// Sets record `r`'s answer to the raw variable `name` to `value`, as if the file had held it (the stop
    /// position read off the answers again, derived variables recomputed, the questionnaire's rules applied). Any
    /// raw variable may be set, a design or margin variable such as geslacht included: `monitor synth --set` uses
    /// it to start from another composition than the file's (docs/synthesis.md, scripts/knots.py question 4) or
    /// from a knot's solution (scripts/steer.py). Setting a margin variable changes the file's counts unless it
    /// is set in pairs. Throws when the variable is not a raw variable of the codebook or the model cannot
    /// produce the value.
    public mutating func assign(_ r: Int, variable name: String, value: String) throws {
        precondition(records.indices.contains(r), "a record of the file")
        guard let v = schema.index[name], v < schema.rawCount else {
            throw DataError(.spec, SourcePosition(file: "--set"), "\(name) is not a variable of the codebook that a respondent answers")
        }
        let variable = schema.variables[v]
        guard let index = code(of: value, in: variable) else {
            throw DataError(.invalidValue, SourcePosition(file: "--set"),
                            "\(name) must be one of " + variable.domain.map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: ", ") + " (got \(value))")
        }
        let old = records[r]
        var record = old
        record[v] = index
        record[stopSlot] = UInt16(inferredStop(record))
        schema.derive(&record)
        // The questionnaire's rules, as after a move of the annealing: an answer that routes questions out clears
        // them (a victim whose forms are all set to 0 becomes a non-victim), one that routes questions in has them
        // drawn, and a multiple-response set with one item set is completed.
        repair(&record, old: old, forced: v)
        records[r] = record
    }

    /// Exchanges the answers of records `a` and `b`: every variable but the design and margin variables (and
    /// where each stopped), with the questionnaire's rules applied again, as the annealing's swap move does. The
    /// respondents keep their design cell, geslacht and functie, so the exchange moves a whole questionnaire
    /// between design cells: `monitor synth --swap` uses it to start a calibration from a configuration that a
    /// knot needs and no chain of single moves reaches (docs/synthesis.md, scripts/knots.py).
    public mutating func exchange(_ a: Int, _ b: Int) {
        precondition(records.indices.contains(a) && records.indices.contains(b) && a != b, "two different records")
        let (first, second) = swapped(a, b)
        records[a] = first
        records[second.record] = second.proposal
    }

    /// The stop position of a loaded record: one past its last non-empty answer (snapped to the start of a
    /// multiple-response set), or `rawCount` (complete) when every question after that answer is one whose routed-out
    /// code is the empty cell, so that an empty answer there says nothing about dropping out.
    /// Variables marked `absent` (not columns of a start file) say nothing: they are skipped in both tests.
    func inferredStop(_ record: [UInt16], absent: [Bool]? = nil) -> Int {
        let unknown = { (v: Int) in absent?[v] ?? false }
        var last = -1
        for v in stride(from: schema.rawCount - 1, through: 0, by: -1) where !fixed[v] && !unknown(v) && record[v] != emptyCode[v] {
            last = v
            break
        }
        let stop = last + 1
        if (stop..<schema.rawCount).allSatisfy({ fixed[$0] || unknown($0) || routedOut[$0] == emptyCode[$0] }) { return schema.rawCount }
        return stopSnap[stop]
    }
}
