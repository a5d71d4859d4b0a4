import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which columns a command needs.
public enum ColumnSelection: Sendable, Equatable {
    /// Every column of the file.
    case all
    /// These columns in this order; `required` ones must exist, the others are kept when present.
    case named([String], required: Set<String>)

    public static func required(_ names: [String]) -> ColumnSelection { .named(names, required: Set(names)) }
}

/// Maps a data record (0-based) to the physical line it starts on. Lines drift from
/// `record + firstDataLine` only after blank lines or quoted fields with line breaks, so only
/// the points where the drift changes are stored.
public struct LineIndex: Sendable, Equatable {
    public var firstDataLine: Int
    /// (first record with this offset, offset), ascending by record.
    var breaks: [(record: Int, offset: Int)]

    public init(firstDataLine: Int, breaks: [(record: Int, offset: Int)] = []) {
        self.firstDataLine = firstDataLine
        self.breaks = breaks
    }

    public func line(ofRecord record: Int) -> Int {
        var lo = 0, hi = breaks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if breaks[mid].record <= record { lo = mid + 1 } else { hi = mid }
        }
        let offset = lo == 0 ? 0 : breaks[lo - 1].offset
        return record + firstDataLine + offset
    }

    public static func == (a: LineIndex, b: LineIndex) -> Bool {
        a.firstDataLine == b.firstDataLine && a.breaks.elementsEqual(b.breaks, by: { $0 == $1 })
    }
}

/// One column as read: row codes into the column's distinct values (decoded text).
public struct RawTextColumn: Sendable, Equatable {
    public var name: String
    /// 1-based position in the file's header.
    public var position: Int
    public var codes: CodeVector
    public var values: [String]

    /// The text of row `row`.
    public subscript(row: Int) -> String { values[codes[row]] }
}

/// What a read produced: the header, the kept columns, row count, dialect and positions.
public struct RawTable: Sendable {
    public var source: String
    public var dialect: CSVDialect
    public var header: [String]
    public var columns: [RawTextColumn]
    public var rowCount: Int
    public var lineIndex: LineIndex
    public var bytesRead: Int

    public func column(named name: String) -> RawTextColumn? { columns.first { $0.name == name } }

    public func position(row: Int, column: RawTextColumn? = nil, value: String? = nil) -> SourcePosition {
        SourcePosition(file: source, line: lineIndex.line(ofRecord: row), column: column?.position,
                       columnName: column?.name, value: value)
    }
}

// MARK: - libcsv driving state (plain memory, written through a pointer in the callbacks)

struct ParseState {
    var fieldIndex: Int = 0
    var headerCount: Int = 0
    var headerDone: Bool = false
    var slotOfField: UnsafeMutablePointer<Int32>? = nil
    var fieldOfSlot: UnsafeMutablePointer<Int32>? = nil
    var slotCount: Int = 0
    var columns: UnsafeMutablePointer<RawColumn>? = nil
    var records: Int = 0
    var currentLine: Int = 1
    var rowStartLine: Int = 1
    var firstDataLine: Int = 2
    var lineOffset: Int = 0
    // (record, offset) pairs where the line drift changes.
    var breaks: UnsafeMutablePointer<Int>? = nil
    var breakCount: Int = 0
    var breakCapacity: Int = 0
    // Records with the wrong number of fields: (line, fields) for the first few, and a total.
    var badRecords: UnsafeMutablePointer<Int>? = nil
    var badTotal: Int = 0
    static let badLimit = DataErrors.shownLimit
}

typealias ParseField = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void
typealias ParseRecord = @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void

private let headerField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { field, length, context in
    let state = context.unsafelyUnwrapped.assumingMemoryBound(to: ParseState.self)
    if state.pointee.headerDone { return }
    state.pointee.columns.unsafelyUnwrapped[0].append(field, length)
    state.pointee.fieldIndex += 1
}

private let headerRecord: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    let state = context.unsafelyUnwrapped.assumingMemoryBound(to: ParseState.self)
    if state.pointee.headerDone { return }
    state.pointee.headerDone = true
    state.pointee.headerCount = state.pointee.fieldIndex
    state.pointee.fieldIndex = 0
    state.pointee.firstDataLine = state.pointee.currentLine + 1
}

let dataField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { field, length, context in
    let state = context.unsafelyUnwrapped.assumingMemoryBound(to: ParseState.self)
    let index = state.pointee.fieldIndex
    state.pointee.fieldIndex = index &+ 1
    if index < state.pointee.headerCount {
        let slot = Int(state.pointee.slotOfField.unsafelyUnwrapped[index])
        if slot >= 0 { state.pointee.columns.unsafelyUnwrapped[slot].append(field, length) }
    }
}

let dataRecord: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    recordEnded(context.unsafelyUnwrapped.assumingMemoryBound(to: ParseState.self))
}

/// A data record is complete: check its field count, note a change in the line drift, count it.
@inline(__always)
func recordEnded(_ state: UnsafeMutablePointer<ParseState>) {
    let fields = state.pointee.fieldIndex
    if fields != state.pointee.headerCount { wrongFieldCount(state, fields) }
    let offset = state.pointee.rowStartLine - state.pointee.records - state.pointee.firstDataLine
    if offset != state.pointee.lineOffset { addBreak(state, offset) }
    state.pointee.records &+= 1
    state.pointee.fieldIndex = 0
}

private func wrongFieldCount(_ state: UnsafeMutablePointer<ParseState>, _ fields: Int) {
    if state.pointee.badTotal < ParseState.badLimit {
        let slot = state.pointee.badTotal * 2
        state.pointee.badRecords.unsafelyUnwrapped[slot] = state.pointee.rowStartLine
        state.pointee.badRecords.unsafelyUnwrapped[slot + 1] = fields
    }
    state.pointee.badTotal += 1
    // Keep the columns aligned: a short record gets empty values for the missing fields.
    for slot in 0..<state.pointee.slotCount where Int(state.pointee.fieldOfSlot.unsafelyUnwrapped[slot]) >= fields {
        state.pointee.columns.unsafelyUnwrapped[slot].append(nil, 0)
    }
}

private func addBreak(_ state: UnsafeMutablePointer<ParseState>, _ offset: Int) {
    if state.pointee.breakCount == state.pointee.breakCapacity {
        let capacity = max(16, state.pointee.breakCapacity * 2)
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
        if let old = state.pointee.breaks {
            grown.update(from: old, count: state.pointee.breakCount * 2)
            old.deallocate()
        }
        state.pointee.breaks = grown
        state.pointee.breakCapacity = capacity
    }
    let i = state.pointee.breakCount * 2
    state.pointee.breaks.unsafelyUnwrapped[i] = state.pointee.records
    state.pointee.breaks.unsafelyUnwrapped[i + 1] = offset
    state.pointee.breakCount += 1
    state.pointee.lineOffset = offset
}

/// Streams a CSV file through libcsv in chunks and keeps only the selected columns, as
/// dictionary-encoded codes. Detects delimiter, byte-order mark and encoding; reports every
/// structural problem with its file, line and column.
///
/// libcsv is fed one physical line at a time so the parser always knows the line it is on
/// (libcsv itself reports no positions); records may still span lines inside quotes.
public struct CSVReader {
    public var options: CSVOptions
    /// Called with (bytes read so far, total bytes if known) after each chunk.
    public var progress: ((Int, Int?) -> Void)?
    public var chunkSize: Int
    /// Parse a regular file's records in blocks on every core (`BlockParser`); off, or for standard input,
    /// libcsv reads it sequentially.
    public var parallel: Bool = true
    /// Split quote-free lines without libcsv (tests turn it off to compare with libcsv alone).
    var fastPath: Bool = true
    /// Smallest stretch of input split across workers, and the block buffer's size (tests make both tiny).
    var minimumSplit: Int = 1 << 16
    var blockSize: Int = 1 << 24
    /// Workers for block parsing (default: the online cores, at most 8).
    var workers: Int = max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    public init(options: CSVOptions = CSVOptions(), chunkSize: Int = 1 << 22, progress: ((Int, Int?) -> Void)? = nil) {
        self.options = options
        self.chunkSize = chunkSize
        self.progress = progress
    }

    /// Reads only the header line of a source (for commands that decide columns from the header).
    public func readHeader(_ source: InputSource) throws(DataError) -> [String] {
        do {
            return try read(source, columns: .named([], required: []), headerOnly: true).header
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(.io, SourcePosition(file: source.displayName), "\(error)")
        }
    }

    public func read(_ source: InputSource, columns selection: ColumnSelection) throws -> RawTable {
        try read(source, columns: selection, headerOnly: false)
    }

    func read(_ source: InputSource, columns selection: ColumnSelection, headerOnly: Bool) throws -> RawTable {
        if let table = try readIfSAV(source, columns: selection, headerOnly: headerOnly) { return table }  // SPSS: SAVReader.swift
        if parallel, !headerOnly, inputSize(source) != nil {
            if let table = try read(source, columns: selection, blocks: true) { return table }
            // Malformed quoting somewhere: read again sequentially for the exact error position.
        }
        return try read(source, columns: selection, headerOnly: headerOnly, blocks: false)!
    }

    /// With `blocks`, nil when a block reported malformed quoting.
    func read(_ source: InputSource, columns selection: ColumnSelection, headerOnly: Bool = false, blocks: Bool) throws -> RawTable? {
        let name = source.displayName
        var chunks = try ChunkReader(source: source, chunkSize: chunkSize)
        let total = inputSize(source)

        let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw DataError(.io, SourcePosition(file: name), "cannot initialise the CSV parser (out of memory)")
        }
        defer { csv_free(parser) }

        let state = UnsafeMutablePointer<ParseState>.allocate(capacity: 1)
        state.initialize(to: ParseState())
        let headerColumn = UnsafeMutablePointer<RawColumn>.allocate(capacity: 1)
        headerColumn.initialize(to: .make())
        state.pointee.columns = headerColumn
        state.pointee.badRecords = .allocate(capacity: ParseState.badLimit * 2)
        defer {
            headerColumn.pointee.free()
            headerColumn.deallocate()
            if let columns = state.pointee.columns, columns != headerColumn {
                for slot in 0..<state.pointee.slotCount { columns[slot].free() }
                columns.deallocate()
            }
            state.pointee.slotOfField?.deallocate()
            state.pointee.fieldOfSlot?.deallocate()
            state.pointee.breaks?.deallocate()
            state.pointee.badRecords?.deallocate()
            state.deallocate()
        }

        var dialect: CSVDialect?
        var header: [String] = []
        var headerBytes: [[UInt8]] = []
        var slotNames: [(name: String, position: Int)] = []
        var fieldCallback = headerField
        var recordCallback = headerRecord
        var atLineStart = true
        var bytesRead = 0
        var sawAnyByte = false
        var remainder: [UInt8] = []
        var inBlocks = false
        // The last chunk ended in a CR: whether an LF follows (CRLF) is in the next chunk's first byte.
        var openCR = false

        reading: while true {
            let count = try chunks.next()
            if count == 0 { break }
            bytesRead += count
            var p = UnsafeRawPointer(chunks.buffer.baseAddress!)
            let end = p + count
            if dialect == nil {
                let format = InputFormat.sniff(UnsafeRawBufferPointer(start: p, count: min(count, 4096)))
                if format != .csv {
                    throw DataError(.notCSV, SourcePosition(file: name), "this is \(format.description), not a CSV file; \(format.remedy)")
                }
                var bom = false
                if count >= 3 && p.load(as: UInt8.self) == 0xEF && p.load(fromByteOffset: 1, as: UInt8.self) == 0xBB
                    && p.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
                    p += 3
                    bom = true
                }
                var lines = LineEnds(p, end, crAtEndEndsLine: true)
                let lineEnd = lines.piece(from: p).end
                let delimiter = options.delimiter ?? CSVDialect.detectDelimiter(headerLine: UnsafeRawBufferPointer(start: p, count: lineEnd - p))
                csv_set_delim(parser, delimiter)
                dialect = CSVDialect(delimiter: delimiter, encoding: .utf8,
                                     decimalComma: options.decimalComma ?? (delimiter == UInt8(ascii: ";")),
                                     hadByteOrderMark: bom)
            }
            if openCR {
                openCR = false
                if p.load(as: UInt8.self) == 10 {
                    // The LF of a CRLF (libcsv skips it, or keeps it inside a quoted field).
                    if csv_parse(parser, p, 1, fieldCallback, recordCallback, state) != 1 {
                        throw malformedQuote(parser, state, name: name, header: header)
                    }
                    p += 1
                }
                state.pointee.currentLine += 1
                atLineStart = true
            }
            var lines = LineEnds(p, end, crAtEndEndsLine: false)
            while p < end {
                if atLineStart && parser.pointee.pstate == 0 { state.pointee.rowStartLine = state.pointee.currentLine }
                let (pieceEnd, endsLine) = lines.piece(from: p)
                let length = pieceEnd - p
                if !sawAnyByte && !isBlank(p, length) { sawAnyByte = true }
                if let zero = memchr(p, 0, length) {
                    throw nulByte(at: UnsafeRawPointer(zero), from: p, parser, state, name: name, header: header,
                                  callbacks: (fieldCallback, recordCallback))
                }
                let parsed = csv_parse(parser, p, length, fieldCallback, recordCallback, state)
                if parsed != length {
                    throw malformedQuote(parser, state, name: name, header: header)
                }
                if endsLine {
                    state.pointee.currentLine += 1
                    atLineStart = true
                } else {
                    atLineStart = false
                    openCR = pieceEnd.load(fromByteOffset: -1, as: UInt8.self) == 13
                }
                p = pieceEnd
                if header.isEmpty && state.pointee.headerDone {
                    headerBytes = headerColumn.pointee.headerFields()
                    header = try checkHeader(headerBytes, name: name, encoding: options.encoding)
                    if headerOnly { break reading }
                    slotNames = try setUpSlots(state, header: header, selection: selection, name: name)
                    fieldCallback = dataField
                    recordCallback = dataRecord
                    if blocks {
                        remainder = Array(UnsafeRawBufferPointer(start: p, count: end - p))
                        inBlocks = true
                        break reading
                    }
                }
            }
            progress?(bytesRead, total)
        }
        var columnValues: [[[UInt8]]] = []
        var codeVectors: [CodeVector] = []
        var recordCount = 0
        var breaks: [(record: Int, offset: Int)] = []
        var badRecords: [(line: Int, fields: Int)] = []
        var badTotal = 0
        if inBlocks {
            var parser = try BlockParser(delimiter: dialect!.delimiter, headerCount: header.count, slotCount: state.pointee.slotCount,
                                         slotOfField: state.pointee.slotOfField!, fieldOfSlot: state.pointee.fieldOfSlot!,
                                         workers: workers, fastPath: fastPath)
            parser.minimumSplit = minimumSplit
            defer { parser.free() }
            var capacity = max(blockSize, remainder.count * 2, 64)
            var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            var bufferFreed = false
            defer { if !bufferFreed { buffer.deallocate() } }
            remainder.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            var filled = remainder.count
            remainder = []
            var atEnd = false
            // The header's CR was the chunk's last byte: an LF right after it belongs to the header's line end.
            var skipLF = openCR
            while true {
                while !atEnd && filled < capacity {
                    let n = try chunks.fill(buffer + filled, count: capacity - filled)
                    if n == 0 { atEnd = true } else { filled += n; bytesRead += n }
                }
                if skipLF {
                    skipLF = false
                    if filled > 0 && buffer.load(as: UInt8.self) == 10 {
                        buffer.copyMemory(from: buffer + 1, byteCount: filled - 1)
                        filled -= 1
                        continue
                    }
                }
                if atEnd {
                    parser.parse(buffer, buffer + filled, final: true)
                    break
                }
                guard let cut = BlockParser.lastBoundary(buffer, buffer + filled) else {
                    // No record ends in the buffer: an unterminated quote (read sequentially, which streams and
                    // names the line), or one record longer than the buffer: grow it.
                    if capacity >= 1 << 28 { return nil }
                    let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                    grown.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = grown
                    capacity *= 2
                    continue
                }
                parser.parse(buffer, cut, final: false)
                if parser.failed { return nil }
                let used = cut - UnsafeRawPointer(buffer)
                buffer.copyMemory(from: buffer + used, byteCount: filled - used)
                filled -= used
                progress?(bytesRead, total)
            }
            if parser.failed { return nil }
            progress?(bytesRead, total)
            buffer.deallocate()
            bufferFreed = true
            let result = parser.finish(firstDataLine: state.pointee.firstDataLine)
            (columnValues, codeVectors, recordCount, breaks, badRecords, badTotal) =
                (result.values, result.codes, result.records, result.breaks, result.bad, result.badTotal)
        }
        if !inBlocks && (!headerOnly || header.isEmpty) {
            if csv_fini(parser, fieldCallback, recordCallback, state) != 0 {
                throw DataError(.unterminatedQuote, SourcePosition(file: name, line: state.pointee.rowStartLine),
                                "a quoted field starting on this line is never closed (missing closing quote)")
            }
            if header.isEmpty && state.pointee.headerDone {
                headerBytes = headerColumn.pointee.headerFields()
                header = try checkHeader(headerBytes, name: name, encoding: options.encoding)
                if !headerOnly { slotNames = try setUpSlots(state, header: header, selection: selection, name: name) }
            }
        }
        guard sawAnyByte, !header.isEmpty else {
            throw DataError(.emptyFile, SourcePosition(file: name), "the file is empty: a header line with column names is required")
        }
        guard var dialect else { throw DataError(.emptyFile, SourcePosition(file: name), "the file is empty") }

        if !inBlocks {
            for slot in 0..<state.pointee.slotCount {
                columnValues.append(state.pointee.columns![slot].distinctValues())
                codeVectors.append(state.pointee.columns![slot].finishedCodes())
            }
            recordCount = state.pointee.records
            breaks = (0..<state.pointee.breakCount).map { (record: state.pointee.breaks![$0 * 2], offset: state.pointee.breaks![$0 * 2 + 1]) }
            badTotal = state.pointee.badTotal
            badRecords = (0..<min(badTotal, ParseState.badLimit)).map { (state.pointee.badRecords![$0 * 2], state.pointee.badRecords![$0 * 2 + 1]) }
        }
        if badTotal > 0 {
            let errors = badRecords.map { bad -> DataError in
                let what = bad.fields < header.count ? "too few" : "too many"
                return DataError(.fieldCount, SourcePosition(file: name, line: bad.line),
                                 "\(what) fields: expected \(header.count) (as in the header), found \(bad.fields)")
            }
            throw DataErrors(errors: errors, total: badTotal)
        }

        // Encoding: decide from the header and every kept value, then decode each distinct value once.
        let rawValues = columnValues
        let lineIndex = LineIndex(firstDataLine: state.pointee.firstDataLine, breaks: breaks)
        let encoding = try decideEncoding(header: headerBytes, values: rawValues, codes: codeVectors, slotNames: slotNames,
                                          name: name, lineIndex: lineIndex)
        dialect.encoding = encoding
        if encoding == .windows1252 {
            header = headerBytes.map { TextDecoding.decode($0, as: .windows1252) }
        }
        var columns: [RawTextColumn] = []
        for slot in 0..<slotNames.count {
            columns.append(RawTextColumn(
                name: slotNames[slot].name, position: slotNames[slot].position, codes: codeVectors[slot],
                values: rawValues[slot].map { TextDecoding.decode($0, as: encoding) }))
        }
        return RawTable(source: name, dialect: dialect, header: header, columns: columns,
                        rowCount: recordCount,
                        lineIndex: lineIndex,
                        bytesRead: bytesRead)
    }

    private func isBlank(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
        for i in 0..<n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b != 10 && b != 13 && b != 32 && b != 9 { return false }
        }
        return true
    }

    /// A NUL byte at `zero` in the piece starting at `p`: the field it is in (the piece parsed up to it) and its line.
    private func nulByte(at zero: UnsafeRawPointer, from p: UnsafeRawPointer, _ parser: UnsafeMutablePointer<csv_parser>,
                         _ state: UnsafeMutablePointer<ParseState>, name: String, header: [String],
                         callbacks: (ParseField, ParseRecord)) -> DataError {
        if csv_parse(parser, p, zero - p, callbacks.0, callbacks.1, state) != zero - p {
            return malformedQuote(parser, state, name: name, header: header)
        }
        let column = state.pointee.fieldIndex
        var partial = ""
        if let buffer = parser.pointee.entry_buf, parser.pointee.entry_pos > 0 {
            partial = TextDecoding.decode(UnsafeBufferPointer(start: buffer, count: parser.pointee.entry_pos), as: .utf8)
        }
        return DataError(.binary,
                         SourcePosition(file: name, line: state.pointee.currentLine, column: column + 1,
                                        columnName: column < header.count ? header[column] : nil, value: partial + "\\0"),
                         "a NUL byte (\\0): binary data, not CSV text (a damaged file, or a binary format such as a spreadsheet or statistics file)")
    }

    private func malformedQuote(_ parser: UnsafeMutablePointer<csv_parser>, _ state: UnsafeMutablePointer<ParseState>,
                                name: String, header: [String]) -> DataError {
        let column = state.pointee.fieldIndex
        var partial: String?
        if let buffer = parser.pointee.entry_buf, parser.pointee.entry_pos > 0 {
            partial = TextDecoding.decode(UnsafeBufferPointer(start: buffer, count: parser.pointee.entry_pos), as: .utf8)
        }
        let columnName = column < header.count ? header[column] : nil
        return DataError(.malformedQuote,
                         SourcePosition(file: name, line: state.pointee.currentLine, column: column + 1,
                                        columnName: columnName, value: partial),
                         "malformed quoting: a quote inside an unquoted field, or text after a closing quote (quote the whole field and write a quote inside it as two quotes)")
    }

    private func checkHeader(_ fields: [[UInt8]], name: String, encoding: EncodingChoice) throws(DataError) -> [String] {
        let decodeAs: TextEncoding
        switch encoding {
        case .fixed(let e): decodeAs = e
        case .auto: decodeAs = fields.allSatisfy { TextDecoding.isValidUTF8($0) } ? .utf8 : .windows1252
        }
        let names = fields.map { TextDecoding.decode($0, as: decodeAs) }
        var seen: [String: Int] = [:]
        for (i, raw) in names.enumerated() {
            let trimmed = raw.trimmingSpaces()
            if trimmed.isEmpty {
                throw DataError(.emptyHeader, SourcePosition(file: name, line: 1, column: i + 1),
                                "empty column name in the header: every column needs a name")
            }
            if let first = seen[trimmed] {
                throw DataError(.duplicateHeader, SourcePosition(file: name, line: 1, column: i + 1, columnName: trimmed),
                                "duplicate column name: column \(first + 1) has the same name")
            }
            seen[trimmed] = i
        }
        return names.map { $0.trimmingSpaces() }
    }

    private func setUpSlots(_ state: UnsafeMutablePointer<ParseState>, header: [String], selection: ColumnSelection,
                            name: String) throws(DataError) -> [(name: String, position: Int)] {
        var wanted: [(name: String, position: Int)] = []
        switch selection {
        case .all:
            wanted = header.enumerated().map { ($0.element, $0.offset + 1) }
        case .named(let names, let required):
            var missing: [String] = []
            for n in names {
                if let i = header.firstIndex(of: n) {
                    if !wanted.contains(where: { $0.name == n }) { wanted.append((n, i + 1)) }
                } else if required.contains(n) {
                    missing.append(n)
                }
            }
            if !missing.isEmpty { throw missingColumns(missing, header: header, file: name, kind: "column", place: "the header") }
        }
        let slotOfField = UnsafeMutablePointer<Int32>.allocate(capacity: max(header.count, 1))
        slotOfField.initialize(repeating: -1, count: max(header.count, 1))
        let fieldOfSlot = UnsafeMutablePointer<Int32>.allocate(capacity: max(wanted.count, 1))
        let columns = UnsafeMutablePointer<RawColumn>.allocate(capacity: max(wanted.count, 1))
        for (slot, w) in wanted.enumerated() {
            slotOfField[w.position - 1] = Int32(slot)
            fieldOfSlot[slot] = Int32(w.position - 1)
            (columns + slot).initialize(to: .make())
        }
        state.pointee.slotOfField = slotOfField
        state.pointee.fieldOfSlot = fieldOfSlot
        state.pointee.columns = columns
        state.pointee.slotCount = wanted.count
        return wanted
    }

    private func decideEncoding(header: [[UInt8]], values: [[[UInt8]]], codes: [CodeVector],
                                slotNames: [(name: String, position: Int)], name: String,
                                lineIndex: LineIndex) throws(DataError) -> TextEncoding {
        var firstInvalid: (slot: Int, code: Int)?
        outer: for (slot, column) in values.enumerated() {
            for (code, bytes) in column.enumerated() where !TextDecoding.isValidUTF8(bytes) {
                firstInvalid = (slot, code)
                break outer
            }
        }
        let headerValid = header.allSatisfy { TextDecoding.isValidUTF8($0) }
        switch options.encoding {
        case .fixed(.windows1252):
            return .windows1252
        case .fixed(.utf8):
            if !headerValid {
                throw DataError(.encoding, SourcePosition(file: name, line: 1),
                                "the header is not valid UTF-8 (use --encoding windows-1252 or --encoding auto)")
            }
            if let (slot, code) = firstInvalid {
                let row = codes[slot].firstRow(withCode: code) ?? 0
                let line = lineIndex.line(ofRecord: row)
                throw DataError(.encoding,
                                SourcePosition(file: name, line: line, column: slotNames[slot].position, columnName: slotNames[slot].name,
                                               value: TextDecoding.decode(values[slot][code], as: .windows1252)),
                                "not valid UTF-8 (use --encoding windows-1252 or --encoding auto)")
            }
            return .utf8
        case .auto:
            return (firstInvalid == nil && headerValid) ? .utf8 : .windows1252
        }
    }
}

extension RawColumn {
    /// The header's fields in order (the header column interns, so rebuild the sequence from codes).
    func headerFields() -> [[UInt8]] {
        let values = distinctValues()
        return (0..<rows).map { values[Int(code(at: $0))] }
    }
}

extension String {
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

/// The header name closest to `name` (case-insensitive equality, then edit distance at most 3).
/// The error for required columns (`kind`: column, variable) absent from `place`, with a did-you-mean for the first.
func missingColumns(_ missing: [String], header: [String], file: String, kind: String, place: String) -> DataError {
    let hint = closestName(to: missing[0], in: header).map { " (did you mean \"\($0)\"?)" } ?? ""
    let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
    return DataError(.missingColumn, SourcePosition(file: file, line: 1),
                     "required \(kind)\(missing.count > 1 ? "s" : "") \(list) not in \(place)\(hint)")
}

func closestName(to name: String, in candidates: [String]) -> String? {
    if let exact = candidates.first(where: { $0.lowercased() == name.lowercased() }) { return exact }
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(Array(name.lowercased()), Array(c.lowercased()))
        if d <= 3 && (best == nil || d < best!.1) { best = (c, d) }
    }
    return best?.0
}

func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
