import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private struct RecordEnds {
    var ended: Bool = false
}

private let ignoreField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { _, _, _ in }
private let markRecordEnd: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    context.unsafelyUnwrapped.assumingMemoryBound(to: RecordEnds.self).pointee.ended = true
}

/// Copies a CSV file byte for byte and appends one field to every record: the header gets `name`, data
/// record k gets `values[k]`. Records are found with libcsv exactly as `CSVReader` finds them, on the same
/// physical lines (`LineEnds`: LF, CRLF or a bare CR; blank lines are copied and get nothing), and the new field
/// goes before each record's own line end, so CRLF files stay CRLF, old Mac files stay CR, and quoted line
/// breaks stay inside their fields.
public struct ColumnAppender {
    public var delimiter: UInt8
    public var chunkSize: Int

    public init(delimiter: UInt8, chunkSize: Int = 1 << 22) {
        self.delimiter = delimiter
        self.chunkSize = chunkSize
    }

    /// - Returns: the number of data records written (must equal `values.count`).
    public func append(from source: InputSource, name: String, values: [String], write: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var chunks = try ChunkReader(source: source, chunkSize: chunkSize)
        let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw DataError(.io, SourcePosition(file: source.displayName), "cannot initialise the CSV parser")
        }
        defer { csv_free(parser) }
        csv_set_delim(parser, delimiter)
        let state = UnsafeMutablePointer<RecordEnds>.allocate(capacity: 1)
        state.initialize(to: RecordEnds())
        defer { state.deallocate() }

        var record = -1  // -1: the header
        var line = 1  // the physical line the next piece starts on
        var carry: [UInt8] = []  // a line split across chunks
        let file = source.displayName
        func field(for record: Int) -> [UInt8] {
            let text = record < 0 ? CSVWriter.cell(name, delimiter: Character(Unicode.Scalar(delimiter))) : values[record]
            return [delimiter] + Array(text.utf8)
        }
        /// One physical line (`LineEnds`), or the last line of the input (`final`).
        func emit(line piece: UnsafeRawBufferPointer, final: Bool) throws {
            state.pointee.ended = false
            if csv_parse(parser, piece.baseAddress, piece.count, ignoreField, markRecordEnd, state) != piece.count {
                throw DataError(.malformedQuote, SourcePosition(file: file, line: line), "malformed quoting (run monitor describe on the file for the position)")
            }
            if final && !state.pointee.ended && csv_fini(parser, ignoreField, markRecordEnd, state) != 0 {
                throw DataError(.unterminatedQuote, SourcePosition(file: file, line: line), "a quoted field is never closed (missing closing quote)")
            }
            let endsLine = piece.count > 0 && (piece[piece.count - 1] == 10 || piece[piece.count - 1] == 13)
            defer { if endsLine { line += 1 } }
            guard state.pointee.ended else { return try write(piece) }
            guard record < values.count else {
                throw DataError(.io, SourcePosition(file: file, line: line),
                                "the file has more records than when it was read (\(values.count)): did it change?")
            }
            var end = piece.count
            while end > 0, piece[end - 1] == 10 || piece[end - 1] == 13 { end -= 1 }
            try write(UnsafeRawBufferPointer(rebasing: piece[0..<end]))
            try field(for: record).withUnsafeBytes { try write($0) }
            try write(UnsafeRawBufferPointer(rebasing: piece[end...]))
            record += 1
        }
        while true {
            let count = try chunks.next()
            if count == 0 { break }
            let base = UnsafeRawPointer(chunks.buffer.baseAddress!)
            var q = base
            if carry.last == 13 {
                // The last chunk ended in a CR: an LF here completes a CRLF; anything else means the CR ended the line.
                if base.load(as: UInt8.self) == 10 {
                    carry.append(10)
                    q += 1
                }
                try carry.withUnsafeBytes { try emit(line: $0, final: false) }
                carry.removeAll(keepingCapacity: true)
            }
            let end = base + count
            var lines = LineEnds(q, end, crAtEndEndsLine: false)
            while q < end {
                let (pieceEnd, endsLine) = lines.piece(from: q)
                let piece = UnsafeRawBufferPointer(start: q, count: pieceEnd - q)
                if !endsLine {
                    carry += piece
                } else if carry.isEmpty {
                    try emit(line: piece, final: false)
                } else {
                    carry += piece
                    try carry.withUnsafeBytes { try emit(line: $0, final: false) }
                    carry.removeAll(keepingCapacity: true)
                }
                q = pieceEnd
            }
        }
        if !carry.isEmpty {
            // The last line (without a line end, or ending in a CR): libcsv ends an open record only at csv_fini.
            try carry.withUnsafeBytes { try emit(line: $0, final: true) }
        }
        return record
    }
}
