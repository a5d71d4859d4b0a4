import CReadStat
import Foundation

/// What the value handler writes through: plain memory only (no Swift array growth, no reference counting
/// per value). The first field is the dictionary context the other handlers use.
struct SAVValueState {
    var context: UnsafeMutableRawPointer
    /// Per file variable: its slot among the kept columns, or -1 (grown only while the dictionary is read).
    var slotOfVariable: UnsafeMutablePointer<Int32>
    var variableCapacity: Int
    var columns: UnsafeMutablePointer<RawColumn>
    var slotCapacity: Int
    var slotCount: Int = 0
    var rows: Int = 0
    /// The case and variable of the value being read, for errors.
    var currentCase: Int = -1
    var currentVariable: Int = -1
    var headerOnly: Bool = false
    /// Per kept column, the code of each small whole number met so far (-1: not yet), so that a survey's codes
    /// are neither formatted nor hashed again: `smallRange` entries per slot, allocated at the first value.
    var smallCodes: UnsafeMutablePointer<Int32>? = nil
    static let smallOffset = 128, smallRange = 1152  // -128 ... 1023
}

private let savValue: @convention(c) (Int32, UnsafeMutablePointer<readstat_variable_t>?, readstat_value_t, UnsafeMutableRawPointer?) -> Int32 = {
    obs, variable, value, ctx in
    let state = ctx.unsafelyUnwrapped.assumingMemoryBound(to: SAVValueState.self)
    if state.pointee.headerOnly { return Int32(READSTAT_HANDLER_ABORT) }
    let index = Int(readstat_variable_get_index(variable))
    state.pointee.currentCase = Int(obs)
    state.pointee.currentVariable = index
    if Int(obs) >= state.pointee.rows { state.pointee.rows = Int(obs) &+ 1 }
    let slot = Int(state.pointee.slotOfVariable[index])
    if slot < 0 { return 0 }
    let column = state.pointee.columns + slot
    if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
        guard let text = readstat_string_value(value) else {
            column.pointee.append(nil, 0)
            return 0
        }
        var n = strlen(text)
        while n > 0 && text[n - 1] == 32 { n -= 1 }  // SPSS pads strings with spaces
        column.pointee.append(UnsafeRawPointer(text), n)
        return 0
    }
    if readstat_value_is_system_missing(value) != 0 {
        column.pointee.append(nil, 0)
        return 0
    }
    let x = readstat_double_value(value)
    if state.pointee.smallCodes == nil {
        let count = max(1, state.pointee.slotCount) * SAVValueState.smallRange
        state.pointee.smallCodes = .allocate(capacity: count)
        state.pointee.smallCodes!.initialize(repeating: -1, count: count)
    }
    let k = Int(exactly: x).map { $0 &+ SAVValueState.smallOffset } ?? -1
    if k >= 0 && k < SAVValueState.smallRange {
        let cached = state.pointee.smallCodes.unsafelyUnwrapped + (slot &* SAVValueState.smallRange &+ k)
        if cached.pointee >= 0 {
            column.pointee.appendCode(UInt32(cached.pointee))
        } else {
            appendNumber(x, to: column)
            cached.pointee = Int32(column.pointee.code(at: column.pointee.rows &- 1))
        }
        return 0
    }
    appendNumber(x, to: column)
    return 0
}

/// A number as `SAVFile.text` writes it, without allocating: whole numbers digit by digit, others through
/// `description` (a small string, stored inline).
@inline(__always)
private func appendNumber(_ x: Double, to column: UnsafeMutablePointer<RawColumn>) {
    if x == x.rounded(), abs(x) < 1e15 {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = UInt64(abs(x))
            var i = 24
            repeat {
                i -= 1
                buffer[i] = UInt8(48 + magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if x < 0 {
                i -= 1
                buffer[i] = 45
            }
            column.pointee.append(buffer.baseAddress! + i, 24 - i)
        }
        return
    }
    var text = x.description
    text.withUTF8 { column.pointee.append($0.baseAddress, $0.count) }
}

/// Reads an SPSS file into the same `RawTable` the CSV reader makes: one text column per kept variable,
/// each value as an SPSS export to CSV writes it (numbers as values, not labels; system-missing empty;
/// user-missing values as their value), interned into codes in order of first appearance. So a `.sav`
/// gives the same dataset, codes and tables as the CSV export of the same data.
struct SAVReader {
    var options: CSVOptions
    var progress: ((Int, Int?) -> Void)?

    /// `name` is what messages call the file (the path given, or `<stdin>` for a buffered standard input).
    func read(_ path: String, name: String? = nil, columns selection: ColumnSelection, headerOnly: Bool) throws -> RawTable {
        let shown = name ?? path
        let context = DictionaryContext()
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let state = UnsafeMutablePointer<SAVValueState>.allocate(capacity: 1)
        state.initialize(to: SAVValueState(context: unmanaged.toOpaque(), slotOfVariable: .allocate(capacity: 64), variableCapacity: 64,
                                           columns: .allocate(capacity: 64), slotCapacity: 64))
        state.pointee.headerOnly = headerOnly
        defer {
            for slot in 0..<state.pointee.slotCount { state.pointee.columns[slot].free() }
            state.pointee.columns.deallocate()
            state.pointee.slotOfVariable.deallocate()
            state.pointee.smallCodes?.deallocate()
            state.deallocate()
        }
        let wanted: Set<String>?
        switch selection {
        case .all: wanted = nil
        case .named(let names, _): wanted = Set(names)
        }
        // Slots in file order while reading; put in the selection's order afterwards.
        var keptVariables: [Int] = []
        context.keep = { index in
            let s = state
            if s.pointee.variableCapacity <= index {
                let grown = UnsafeMutablePointer<Int32>.allocate(capacity: s.pointee.variableCapacity * 2)
                grown.update(from: s.pointee.slotOfVariable, count: s.pointee.variableCapacity)
                s.pointee.slotOfVariable.deallocate()
                s.pointee.slotOfVariable = grown
                s.pointee.variableCapacity *= 2
            }
            let name = context.dictionary.variables[index].name
            guard !headerOnly, wanted?.contains(name) ?? true else {
                s.pointee.slotOfVariable[index] = -1
                return headerOnly ? Int32(READSTAT_HANDLER_OK) : Int32(READSTAT_HANDLER_SKIP_VARIABLE)
            }
            if s.pointee.slotCount == s.pointee.slotCapacity {
                let grown = UnsafeMutablePointer<RawColumn>.allocate(capacity: s.pointee.slotCapacity * 2)
                grown.moveInitialize(from: s.pointee.columns, count: s.pointee.slotCount)
                s.pointee.columns.deallocate()
                s.pointee.columns = grown
                s.pointee.slotCapacity *= 2
            }
            (s.pointee.columns + s.pointee.slotCount).initialize(to: .make())
            s.pointee.slotOfVariable[index] = Int32(s.pointee.slotCount)
            s.pointee.slotCount += 1
            keptVariables.append(index)
            return Int32(READSTAT_HANDLER_OK)
        }
        defer { context.keep = nil }

        let parser = readstat_parser_init()!
        defer { readstat_parser_free(parser) }
        SAVDictionary.installHandlers(parser, encoding: options.encoding)
        readstat_set_value_handler(parser, savValue)
        let total = inputSize(.file(path))
        if let progress, let total {
            // ReadStat reports progress as a fraction; turn it back into bytes for the progress line.
            final class Report { let call: (Int, Int?) -> Void; let total: Int; init(_ c: @escaping (Int, Int?) -> Void, _ t: Int) { call = c; total = t } }
            let report = Report(progress, total)
            context.progress = { fraction in report.call(Int(fraction * Double(report.total)), report.total) }
            readstat_set_progress_handler(parser) { fraction, ctx in
                DictionaryContext.from(ctx).progress?(fraction)
                return Int32(READSTAT_HANDLER_OK)
            }
        }
        let code = readstat_parse_sav(parser, path, state)
        let dictionary = context.dictionary
        if code != READSTAT_OK && !(code == READSTAT_ERROR_USER_ABORT && headerOnly) {
            var position = SourcePosition(file: shown)
            let v = state.pointee.currentVariable
            if state.pointee.currentCase >= 0 && v >= 0 && v < dictionary.variables.count {
                position.line = state.pointee.currentCase + 2
                position.columnName = dictionary.variables[v].name
                position.column = v + 1
            }
            CaseNumbering.register(shown)
            let hint = code == READSTAT_ERROR_CONVERT_BAD_STRING || code == READSTAT_ERROR_UNSUPPORTED_CHARSET
                ? " (use --encoding windows-1252 or utf-8 to say how its text is encoded)" : ""
            throw DataError(.io, position, "cannot read the SPSS file: \(SAVFile.message(code, detail: context.error))\(hint)")
        }
        CaseNumbering.register(shown)
        let header = dictionary.variables.map(\.name)
        if header.isEmpty {
            throw DataError(.emptyFile, SourcePosition(file: shown), "the SPSS file has no variables")
        }
        let rows = state.pointee.rows
        for slot in 0..<state.pointee.slotCount where !headerOnly && state.pointee.columns[slot].rows != rows {
            let name = dictionary.variables[keptVariables[slot]].name
            throw DataError(.fieldCount, SourcePosition(file: shown, line: state.pointee.columns[slot].rows + 2, columnName: name),
                            "the SPSS file ends inside a case: \(rows) cases, but only \(state.pointee.columns[slot].rows) values of \(name)")
        }
        // The kept columns in the order the CSV reader keeps them.
        var order: [Int] = []
        switch selection {
        case .all:
            order = Array(0..<keptVariables.count)
        case .named(let names, let required):
            var missing: [String] = []
            for n in names {
                if let slot = keptVariables.firstIndex(where: { header[$0] == n }) {
                    if !order.contains(slot) { order.append(slot) }
                } else if required.contains(n), !headerOnly {
                    missing.append(n)
                }
            }
            if !missing.isEmpty { throw missingColumns(missing, header: header, file: shown, kind: "variable", place: "the SPSS file") }
        }
        var columns: [RawTextColumn] = []
        if !headerOnly {
            for slot in order {
                let raw = state.pointee.columns[slot]
                columns.append(RawTextColumn(name: header[keptVariables[slot]], position: keptVariables[slot] + 1,
                                             codes: raw.finishedCodes(),
                                             values: raw.distinctValues().map { String(decoding: $0, as: UTF8.self) }))
            }
        }
        let dialect = CSVDialect(delimiter: UInt8(ascii: ","), encoding: .utf8, decimalComma: false, hadByteOrderMark: false)
        return RawTable(source: shown, dialect: dialect, header: header, columns: columns, rowCount: headerOnly ? 0 : rows,
                        lineIndex: LineIndex(firstDataLine: 2), bytesRead: total ?? 0)
    }
}

extension CSVReader {
    /// The SPSS file's table when `source` is one (by its magic number), else nil: the hook where input is opened.
    func readIfSAV(_ source: InputSource, columns selection: ColumnSelection, headerOnly: Bool) throws -> RawTable? {
        guard SAVFile.isSAV(source), let path = source.readablePath else { return nil }
        return try SAVReader(options: options, progress: progress).read(path, name: source.displayName, columns: selection,
                                                                          headerOnly: headerOnly)
    }
}
