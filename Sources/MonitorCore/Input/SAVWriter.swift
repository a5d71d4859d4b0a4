import CReadStat
import Foundation

/// Writes an SPSS file with ReadStat's writer: a dictionary (variables, labels, value label sets, missing
/// definitions, file label, notes), then the cases row by row. Bytes go to `write` (a file, standard output).
public final class SAVWriter {
    /// Where the bytes go, and the first error writing them.
    final class Sink {
        let write: (UnsafeRawBufferPointer) throws -> Void
        var error: Error?
        init(_ write: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.write = write }
    }

    let writer: UnsafeMutablePointer<readstat_writer_t>
    let sink: Sink
    let name: String
    /// The dictionary's variables, in order.
    public private(set) var variables: [UnsafeMutablePointer<readstat_variable_t>] = []
    var error: String?
    /// C strings ReadStat keeps pointers to (user-missing strings, notes) until the file is written.
    private var kept: [UnsafeMutablePointer<CChar>] = []

    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        kept.append(copy)
        return copy
    }

    /// - Parameters: name: the file, for messages. compression: 0 none, 1 rows (`.sav`), 2 binary (`.zsav`).
    public init(dictionary: SAVDictionary, name: String, write: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.name = name
        sink = Sink(write)
        writer = readstat_writer_init()
        readstat_set_data_writer(writer) { data, length, ctx in
            let sink = Unmanaged<Sink>.fromOpaque(ctx!).takeUnretainedValue()
            if sink.error != nil { return -1 }
            do {
                try sink.write(UnsafeRawBufferPointer(start: data, count: length))
            } catch {
                sink.error = error
                return -1
            }
            return length
        }
        readstat_writer_set_compression(writer, readstat_compress_t(rawValue: dictionary.compression))
        if !dictionary.fileLabel.isEmpty { readstat_writer_set_file_label(writer, keep(dictionary.fileLabel)) }
        for note in dictionary.notes { readstat_add_note(writer, keep(note)) }
        var sets: [String: UnsafeMutablePointer<readstat_label_set_t>] = [:]
        for set in dictionary.labelSets {
            let handle = readstat_add_label_set(writer, set.isString ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE, set.name)!
            for entry in set.labels {
                switch entry.value {
                case .number(let x): readstat_label_double_value(handle, x, keep(entry.label))
                case .text(let s): readstat_label_string_value(handle, keep(s), keep(entry.label))
                }
            }
            sets[set.name] = handle
        }
        for v in dictionary.variables {
            guard let handle = readstat_add_variable(writer, v.name, v.isString ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE,
                                                     v.isString ? max(1, v.width) : 0) else {
                throw DataError(.io, SourcePosition(file: name, columnName: v.name), "cannot add the variable to the SPSS file")
            }
            if !v.label.isEmpty { readstat_variable_set_label(handle, v.label) }
            if !v.format.isEmpty { readstat_variable_set_format(handle, v.format) }
            readstat_variable_set_measure(handle, readstat_measure_t(rawValue: v.measure))
            readstat_variable_set_alignment(handle, readstat_alignment_t(rawValue: v.alignment))
            if v.displayWidth > 0 { readstat_variable_set_display_width(handle, Int32(v.displayWidth)) }
            if let set = v.labelSet, let handle2 = sets[set] { readstat_variable_set_label_set(handle, handle2) }
            for m in v.missing {
                switch m {
                case .value(.number(let x)): readstat_variable_add_missing_double_value(handle, x)
                case .value(.text(let s)): readstat_variable_add_missing_string_value(handle, keep(s))
                case .range(let lo, let hi): readstat_variable_add_missing_double_range(handle, lo, hi)
                }
            }
            variables.append(handle)
        }
    }

    deinit {
        readstat_writer_free(writer)
        for p in kept { free(p) }
    }

    /// Starts the data: call once, before the first row.
    public func begin(rows: Int) throws {
        try check(readstat_begin_writing_sav(writer, Unmanaged.passUnretained(sink).toOpaque(), rows))
    }

    @inline(__always) public func beginRow() throws { try check(readstat_begin_row(writer)) }
    @inline(__always) public func endRow() throws { try check(readstat_end_row(writer)) }

    /// A number (NaN: system-missing).
    @inline(__always) public func insert(_ x: Double, variable: Int) throws {
        if x.isNaN {
            try check(readstat_insert_missing_value(writer, variables[variable]))
        } else {
            try check(readstat_insert_double_value(writer, variables[variable], x))
        }
    }

    @inline(__always) public func insert(_ text: String, variable: Int) throws {
        try check(readstat_insert_string_value(writer, variables[variable], text))
    }

    public func finish() throws { try check(readstat_end_writing(writer)) }

    @inline(__always) func check(_ code: readstat_error_t) throws {
        if code == READSTAT_OK { return }
        if let error = sink.error { throw error }
        throw DataError(.io, SourcePosition(file: name), "cannot write the SPSS file: \(SAVFile.message(code, detail: nil))")
    }
}

nonisolated(unsafe) private let emptyCString: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()

/// State of a copy: the writer's variables and the added values, reached through the parser's context.
private struct CopyState {
    var context: UnsafeMutableRawPointer
    var writer: UnsafeMutablePointer<readstat_writer_t>
    var variables: UnsafeMutablePointer<UnsafeMutablePointer<readstat_variable_t>>
    var count: Int
    var added: UnsafePointer<Double>
    var addedCount: Int
    var rows: Int = 0
    var error: readstat_error_t = READSTAT_OK
}

extension SAVWriter {
    /// Copies the SPSS file at `path` value by value and adds `variable` (a number) at the end with `values`
    /// (one per case): every other variable, value label, variable label and missing definition is kept.
    /// - Returns: the number of cases written.
    public static func copy(_ path: String, adding variable: SAVDictionary.Variable, values: [Double], encoding: EncodingChoice = .auto,
                            name: String, write: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var dictionary = try SAVDictionary.read(path: path, encoding: encoding)
        if dictionary.variables.contains(where: { $0.name.lowercased() == variable.name.lowercased() }) {
            throw DataError(.io, SourcePosition(file: path, columnName: variable.name), "the SPSS file already has this variable")
        }
        dictionary.variables.append(variable)
        let out = try SAVWriter(dictionary: dictionary, name: name, write: write)
        try out.begin(rows: values.count)

        let context = DictionaryContext()
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let handles = UnsafeMutablePointer<UnsafeMutablePointer<readstat_variable_t>>.allocate(capacity: out.variables.count)
        defer { handles.deallocate() }
        handles.initialize(from: out.variables, count: out.variables.count)
        try values.withUnsafeBufferPointer { added in
            var state = CopyState(context: unmanaged.toOpaque(), writer: out.writer, variables: handles,
                                  count: out.variables.count - 1, added: added.baseAddress!, addedCount: added.count)
            let parser = readstat_parser_init()!
            defer { readstat_parser_free(parser) }
            SAVDictionary.installHandlers(parser, encoding: encoding)
            context.dictionary = SAVDictionary(variables: [])
            readstat_set_value_handler(parser) { obs, variable, value, ctx in
                let state = ctx.unsafelyUnwrapped.assumingMemoryBound(to: CopyState.self)
                let index = Int(readstat_variable_get_index(variable))
                let writer = state.pointee.writer
                let target = state.pointee.variables[index]
                var code = READSTAT_OK
                if index == 0 {
                    guard Int(obs) < state.pointee.addedCount else {
                        state.pointee.error = READSTAT_ERROR_ROW_COUNT_MISMATCH
                        return Int32(READSTAT_HANDLER_ABORT)
                    }
                    code = readstat_begin_row(writer)
                }
                if code == READSTAT_OK {
                    if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
                        code = readstat_insert_string_value(writer, target, readstat_string_value(value) ?? UnsafePointer(emptyCString))
                    } else if readstat_value_is_system_missing(value) != 0 {
                        code = readstat_insert_missing_value(writer, target)
                    } else {
                        code = readstat_insert_double_value(writer, target, readstat_double_value(value))
                    }
                }
                if code == READSTAT_OK && index == state.pointee.count - 1 {
                    let x = state.pointee.added[Int(obs)]
                    let added = state.pointee.variables[state.pointee.count]
                    code = x.isNaN ? readstat_insert_missing_value(writer, added) : readstat_insert_double_value(writer, added, x)
                    if code == READSTAT_OK { code = readstat_end_row(writer) }
                    state.pointee.rows = Int(obs) + 1
                }
                if code != READSTAT_OK {
                    state.pointee.error = code
                    return Int32(READSTAT_HANDLER_ABORT)
                }
                return Int32(READSTAT_HANDLER_OK)
            }
            let code = readstat_parse_sav(parser, path, &state)
            if state.error != READSTAT_OK {
                if let error = out.sink.error { throw error }
                throw DataError(.io, SourcePosition(file: name, line: state.rows + 2),
                                "cannot write the SPSS file: \(SAVFile.message(state.error, detail: nil))")
            }
            if code != READSTAT_OK {
                throw DataError(.io, SourcePosition(file: path), "cannot read the SPSS file: \(SAVFile.message(code, detail: context.error))")
            }
            if state.rows != values.count {
                throw DataError(.io, SourcePosition(file: path), "the file has \(state.rows) cases, but \(values.count) were read before (did it change?)")
            }
        }
        try out.finish()
        return values.count
    }
}
