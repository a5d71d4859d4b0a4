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
/// record k gets `values[k]`. Records are found with libcsv exactly as `CSVReader` finds them (blank lines
/// are copied and get nothing), and the new field goes before each record's own line end, so CRLF files
/// stay CRLF and quoted line breaks stay inside their fields.
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
        var carry: [UInt8] = []  // a line split across chunks
        func field(for record: Int) -> [UInt8] {
            let text = record < 0 ? CSVWriter.cell(name, delimiter: Character(Unicode.Scalar(delimiter))) : values[record]
            return [delimiter] + Array(text.utf8)
        }
        func emit(line: UnsafeRawBufferPointer, final: Bool) throws {
            state.pointee.ended = false
            if csv_parse(parser, line.baseAddress, line.count, ignoreField, markRecordEnd, state) != line.count {
                throw DataError(.malformedQuote, SourcePosition(file: source.displayName), "malformed quoting (run monitor describe on the file for the position)")
            }
            guard state.pointee.ended else { return try write(line) }
            guard record < values.count else {
                throw DataError(.io, SourcePosition(file: source.displayName), "the file has more records than when it was read (did it change?)")
            }
            var end = line.count
            while end > 0, line[end - 1] == 10 || line[end - 1] == 13 { end -= 1 }
            try write(UnsafeRawBufferPointer(rebasing: line[0..<end]))
            try field(for: record).withUnsafeBytes { try write($0) }
            try write(UnsafeRawBufferPointer(rebasing: line[end...]))
            record += 1
        }
        while true {
            let count = try chunks.next()
            if count == 0 { break }
            let buffer = UnsafeRawBufferPointer(start: chunks.buffer.baseAddress, count: count)
            var start = 0
            while start < count {
                guard let nl = memchr(buffer.baseAddress! + start, 10, count - start) else {
                    carry += buffer[start..<count]
                    break
                }
                let end = UnsafeRawPointer(nl) - buffer.baseAddress! + 1
                if carry.isEmpty {
                    try emit(line: UnsafeRawBufferPointer(rebasing: buffer[start..<end]), final: false)
                } else {
                    carry += buffer[start..<end]
                    try carry.withUnsafeBytes { try emit(line: $0, final: false) }
                    carry.removeAll(keepingCapacity: true)
                }
                start = end
            }
        }
        if !carry.isEmpty {
            // Last line without a line end: libcsv ends the record only at csv_fini.
            state.pointee.ended = false
            _ = csv_parse(parser, carry, carry.count, ignoreField, markRecordEnd, state)
            if !state.pointee.ended { _ = csv_fini(parser, ignoreField, markRecordEnd, state) }
            if state.pointee.ended && record < values.count {
                try carry.withUnsafeBytes { try write($0) }
                try field(for: record).withUnsafeBytes { try write($0) }
                record += 1
            } else {
                try carry.withUnsafeBytes { try write($0) }
            }
        }
        return record
    }
}
