import CLibCSV
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data records of a CSV file parsed in blocks on every core, with a fast path for records without quotes.
///
/// After the header the input is read in large chunks. Each chunk is cut at record boundaries: a line end (LF,
/// CRLF or a bare CR; never between a CR and its LF) is a record boundary when the number of quote characters
/// before it (since the chunk's start, which is a boundary) is even, because a quoted field holds its quotes
/// doubled (RFC 4180). A chunk is split this way into one
/// block per worker; the workers parse their blocks at the same time, each with its own libcsv parser and its
/// own column dictionaries, and the blocks are stitched together in file order afterwards (codes renumbered
/// so that every column's dictionary is in order of first appearance, exactly as a sequential read makes it).
///
/// Within a block, a line without a quote, a NUL or a carriage return inside it is split on the delimiter directly,
/// trimming spaces and tabs around fields as libcsv does; every other record (quoted fields, line breaks in
/// fields, old Mac line ends) goes through libcsv, one physical line at a time (`LineEnds`: LF, CRLF or a bare
/// CR) as the sequential reader feeds it. When libcsv reports malformed quoting anywhere, or a line holds a NUL
/// byte, the caller re-reads the file sequentially so that the error names the same line as it always has.
struct BlockParser {
    /// A stretch of records parsed by one worker.
    struct Segment {
        var worker: Int
        /// Worker-local index of the segment's first row.
        var firstRow: Int
        var records: Int
        /// Line ends consumed.
        var lines: Int
        /// Where `line − record` changes, in segment-local terms (record, line − record).
        var breaks: [(record: Int, drift: Int)]
        /// First few records with a wrong number of fields: (segment-local line, fields).
        var bad: [(line: Int, fields: Int)]
        var badTotal: Int
        var failed: Bool
    }

    /// One worker: a libcsv parser and a ParseState whose columns are the worker's own.
    struct Worker {
        var parser: UnsafeMutablePointer<csv_parser>
        var state: UnsafeMutablePointer<ParseState>
        var rows: Int = 0
    }

    let delimiter: UInt8
    let headerCount: Int
    let slotCount: Int
    let slotOfField: UnsafeMutablePointer<Int32>
    let fieldOfSlot: UnsafeMutablePointer<Int32>
    /// Per field: how many delimiters from its end on need no bookkeeping (skipped fields up to the one before the
    /// next kept field; all the rest of the record after the last kept one). 0 for a kept field.
    let passable: UnsafeMutablePointer<Int>
    var workers: [Worker] = []
    var segments: [Segment] = []
    /// Use the fast path for quote-free lines (off only in tests, to compare with libcsv alone).
    var fastPath: Bool
    /// Stretches shorter than this are parsed by one worker.
    var minimumSplit: Int = 1 << 16

    init(delimiter: UInt8, headerCount: Int, slotCount: Int, slotOfField: UnsafeMutablePointer<Int32>,
         fieldOfSlot: UnsafeMutablePointer<Int32>, workers count: Int, fastPath: Bool) throws(DataError) {
        self.delimiter = delimiter
        self.headerCount = headerCount
        self.slotCount = slotCount
        self.slotOfField = slotOfField
        self.fieldOfSlot = fieldOfSlot
        self.fastPath = fastPath
        passable = .allocate(capacity: max(headerCount, 1))
        var nextKept = Int.max / 2
        for f in stride(from: headerCount - 1, through: 0, by: -1) {
            if slotOfField[f] >= 0 {
                passable[f] = 0
                nextKept = f
            } else {
                passable[f] = nextKept == Int.max / 2 ? Int.max / 2 : nextKept - 1 - f
            }
        }
        for _ in 0..<max(1, count) {
            let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
            guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
                parser.deallocate()
                throw DataError(.io, SourcePosition(file: ""), "cannot initialise the CSV parser (out of memory)")
            }
            csv_set_delim(parser, delimiter)
            let state = UnsafeMutablePointer<ParseState>.allocate(capacity: 1)
            state.initialize(to: ParseState())
            state.pointee.headerDone = true
            state.pointee.headerCount = headerCount
            state.pointee.slotOfField = slotOfField
            state.pointee.fieldOfSlot = fieldOfSlot
            state.pointee.slotCount = slotCount
            let columns = UnsafeMutablePointer<RawColumn>.allocate(capacity: max(slotCount, 1))
            for slot in 0..<slotCount { (columns + slot).initialize(to: .make()) }
            state.pointee.columns = columns
            state.pointee.badRecords = .allocate(capacity: ParseState.badLimit * 2)
            workers.append(Worker(parser: parser, state: state))
        }
    }

    func free() {
        passable.deallocate()
        for w in workers {
            csv_free(w.parser)
            w.parser.deallocate()
            for slot in 0..<slotCount { w.state.pointee.columns![slot].free() }
            w.state.pointee.columns!.deallocate()
            w.state.pointee.breaks?.deallocate()
            w.state.pointee.badRecords?.deallocate()
            w.state.deallocate()
        }
    }

    var failed: Bool { segments.contains { $0.failed } }

    // MARK: cutting chunks

    /// Quotes in [p, end): whether their number is odd.
    @inline(__always)
    static func oddQuotes(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer) -> Bool {
        var odd = false
        var q = p
        while q < end, let hit = memchr(q, 34, end - q) {
            odd.toggle()
            q = UnsafeRawPointer(hit) + 1
        }
        return odd
    }

    /// The end (just after a line end: LF, CRLF, or a CR followed by something else than LF) of the last complete
    /// record in [p, end), or nil. Never between the CR and the LF of a CRLF: a CR as the last byte is no boundary.
    static func lastBoundary(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer) -> UnsafeRawPointer? {
        var odd = oddQuotes(p, end)
        var e = end
        var i = end - 1
        while i >= p {
            let b = i.load(as: UInt8.self)
            if b == 10 || (b == 13 && i + 1 < end && (i + 1).load(as: UInt8.self) != 10) {
                let after = i + 1
                // Parity at `after` = parity of [p, end) minus the quotes in [after, e).
                if oddQuotes(after, e) { odd.toggle() }
                if !odd { return after }
                e = after
            }
            i -= 1
        }
        return nil
    }

    /// The first record boundary at or after `from` in [p, end) (p a boundary), or nil.
    static func boundary(after from: UnsafeRawPointer, start p: UnsafeRawPointer, end: UnsafeRawPointer) -> UnsafeRawPointer? {
        var odd = oddQuotes(p, from)
        var lines = LineEnds(from, end, crAtEndEndsLine: false)
        var q = from
        while q < end {
            let (after, endsLine) = lines.piece(from: q)
            guard endsLine else { return nil }
            if oddQuotes(q, after) { odd.toggle() }
            if !odd { return after }
            q = after
        }
        return nil
    }

    /// Parses the complete records of [p, end) (a record boundary at both ends unless `final`), split across
    /// the workers.
    mutating func parse(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer, final: Bool) {
        let count = end - p
        var cuts: [UnsafeRawPointer] = [p]
        let parts = count >= minimumSplit ? workers.count : 1
        for k in 1..<max(parts, 1) {
            let target = p + count * k / parts
            guard target > cuts.last!, let cut = BlockParser.boundary(after: target, start: cuts.last!, end: end), cut < end else { break }
            cuts.append(cut)
        }
        cuts.append(end)
        let jobs = cuts.count - 1
        var results = [Segment?](repeating: nil, count: jobs)
        let box = UnsafeSendable(value: (workers: workers, cuts: cuts, me: self))
        results.withUnsafeMutableBufferPointer { out in
            let outBox = UnsafeSendable(value: out)
            if jobs == 1 {
                outBox.value[0] = box.value.me.parseSegment(worker: box.value.workers[0], box.value.cuts[0], box.value.cuts[1],
                                                            final: final, index: 0)
            } else {
                DispatchQueue.concurrentPerform(iterations: jobs) { k in
                    outBox.value[k] = box.value.me.parseSegment(worker: box.value.workers[k], box.value.cuts[k], box.value.cuts[k + 1],
                                                                final: final && k == jobs - 1, index: k)
                }
            }
        }
        for (k, r) in results.enumerated() {
            var segment = r!
            segment.firstRow = workers[k].rows
            workers[k].rows += segment.records
            segments.append(segment)
        }
    }

    // MARK: one segment

    func parseSegment(worker: Worker, _ start: UnsafeRawPointer, _ end: UnsafeRawPointer, final: Bool, index: Int) -> Segment {
        let state = worker.state, parser = worker.parser
        state.pointee.records = 0
        state.pointee.currentLine = 0
        state.pointee.rowStartLine = 0
        state.pointee.firstDataLine = 0
        state.pointee.lineOffset = 0
        state.pointee.breakCount = 0
        state.pointee.badTotal = 0
        state.pointee.fieldIndex = 0
        var failed = false
        var p = start
        let delimiter = self.delimiter
        // The segment ends at a record boundary or at the end of the input: a CR as its last byte ends a line.
        var lines = LineEnds(start, end, crAtEndEndsLine: true)
        while p < end {
            let nl = memchr(p, 10, end - p).map { UnsafeRawPointer($0) }
            let lineEnd = nl ?? end
            var contentEnd = lineEnd
            if contentEnd > p && contentEnd.load(fromByteOffset: -1, as: UInt8.self) == 13 { contentEnd -= 1 }
            let length = contentEnd - p
            if fastPath && memchr(p, 34, length) == nil && memchr(p, 13, length) == nil && memchr(p, 0, length) == nil {
                state.pointee.rowStartLine = state.pointee.currentLine
                fastRecord(state, p, length, delimiter: delimiter)
                // A line end: an LF, or the CR that ends the segment.
                if nl != nil || contentEnd < lineEnd { state.pointee.currentLine += 1 }
                p = nl.map { $0 + 1 } ?? end
                continue
            }
            // Through libcsv, one physical line at a time (a bare CR ends a line too), to the end of this LF line
            // and on until the record is complete. A NUL byte: the sequential reader names its position.
            let through = nl.map { $0 + 1 } ?? end
            var q = p
            repeat {
                if parser.pointee.pstate == 0 { state.pointee.rowStartLine = state.pointee.currentLine }
                let (pieceEnd, endsLine) = lines.piece(from: q)
                if memchr(q, 0, pieceEnd - q) != nil || csv_parse(parser, q, pieceEnd - q, dataField, dataRecord, state) != pieceEnd - q {
                    failed = true
                    break
                }
                if endsLine { state.pointee.currentLine += 1 }
                q = pieceEnd
            } while q < end && (q < through || parser.pointee.pstate != 0)
            if failed { break }
            p = q
        }
        if !failed {
            if final {
                if csv_fini(parser, dataField, dataRecord, state) != 0 { failed = true }
            } else if parser.pointee.pstate != 0 {
                failed = true  // the cut was not a record boundary: malformed quoting
            }
        }
        var breaks: [(record: Int, drift: Int)] = []
        for i in 0..<state.pointee.breakCount {
            breaks.append((state.pointee.breaks![i * 2], state.pointee.breaks![i * 2 + 1]))
        }
        var bad: [(line: Int, fields: Int)] = []
        for i in 0..<min(state.pointee.badTotal, ParseState.badLimit) {
            bad.append((state.pointee.badRecords![i * 2], state.pointee.badRecords![i * 2 + 1]))
        }
        return Segment(worker: index, firstRow: 0, records: state.pointee.records, lines: state.pointee.currentLine,
                       breaks: breaks, bad: bad, badTotal: state.pointee.badTotal, failed: failed)
    }

    /// One quote-free line (without its line end): fields split on the delimiter, spaces and tabs trimmed
    /// around each (libcsv's rule for unquoted fields); a line of only spaces and tabs is no record.
    @inline(__always)
    func fastRecord(_ state: UnsafeMutablePointer<ParseState>, _ p: UnsafeRawPointer, _ length: Int, delimiter: UInt8) {
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { (b == 32 || b == 9) && b != delimiter }
        var i = 0
        while i < length && isSpace(bytes[i]) { i &+= 1 }
        if i == length { return }
        let headerCount = self.headerCount
        let slotOfField = self.slotOfField
        let passable = self.passable
        let columns = state.pointee.columns.unsafelyUnwrapped
        var field = 0
        var fieldStart = 0
        @inline(__always) func fieldEnds(at j: Int) {
            if field < headerCount {
                let slot = Int(slotOfField[field])
                if slot >= 0 {
                    var a = fieldStart, b = j
                    while a < b && isSpace(bytes[a]) { a &+= 1 }
                    while b > a && isSpace(bytes[b &- 1]) { b &-= 1 }
                    columns[slot].append(p + a, b &- a)
                }
            }
            field &+= 1
            fieldStart = j &+ 1
        }
        // Eight bytes at a time: the high bit of each byte equal to the delimiter (exact, no borrow).
        let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let pattern = UInt64(delimiter) &* ones
        var j = 0
        #if _endian(little)
        while j &+ 8 <= length {
            let x = p.loadUnaligned(fromByteOffset: j, as: UInt64.self) ^ pattern
            var mask = ~(((x & low7) &+ low7) | x | low7)
            while mask != 0 {
                // Skipped fields cost a count, not a call.
                let free = field < headerCount ? passable[field] : Int.max / 2
                if free > 0 {
                    let c = mask.nonzeroBitCount
                    if c <= free {
                        field &+= c
                        break
                    }
                    for _ in 0..<free { mask &= mask &- 1 }
                    field &+= free
                    continue
                }
                fieldEnds(at: j &+ (mask.trailingZeroBitCount >> 3))
                mask &= mask &- 1
            }
            j &+= 8
        }
        #endif
        while j < length {
            if bytes[j] == delimiter { fieldEnds(at: j) }
            j &+= 1
        }
        fieldEnds(at: length)
        state.pointee.fieldIndex = field
        recordEnded(state)
    }

    // MARK: stitching

    /// The columns in file order, each dictionary in order of first appearance; the line index and the
    /// records with a wrong number of fields, in file lines (data starting on line `firstDataLine`).
    /// Each worker column is released as soon as its slot is stitched, so the peak holds one copy of the codes.
    func finish(firstDataLine: Int) -> (values: [[[UInt8]]], codes: [CodeVector], records: Int, breaks: [(record: Int, offset: Int)],
                                        bad: [(line: Int, fields: Int)], badTotal: Int) {
        var records = 0, line = firstDataLine
        var breaks: [(record: Int, offset: Int)] = []
        var lastOffset = 0
        var bad: [(line: Int, fields: Int)] = []
        var badTotal = 0
        for s in segments {
            // Segment-local drift 0 until its first break.
            var drifts = [(record: 0, drift: 0)] + s.breaks
            if s.breaks.first?.record == 0 { drifts.removeFirst() }
            for d in drifts where d.record < s.records {
                let offset = line + d.drift - records - firstDataLine
                if offset != lastOffset {
                    breaks.append((records + d.record, offset))
                    lastOffset = offset
                }
            }
            for b in s.bad where bad.count < ParseState.badLimit { bad.append((line + b.line, b.fields)) }
            badTotal += s.badTotal
            records += s.records
            line += s.lines
        }

        var values: [[[UInt8]]] = []
        var codes: [CodeVector] = []
        for slot in 0..<slotCount {
            // Worker k's codes → worker 0's dictionary.
            let first = workers[0].state.pointee.columns! + slot
            var remaps: [[UInt32]] = [[]]
            for w in workers.dropFirst() {
                let column = w.state.pointee.columns![slot]
                remaps.append((0..<column.distinct).map { k in
                    let s = column.starts[k], n = column.starts[k + 1] - s
                    let p = UnsafeRawPointer(column.arena + s)
                    return first.pointee.intern(p, n, key: RawColumn.key(p, n))
                })
            }
            // Renumber by first appearance in file order.
            var order = [UInt32](repeating: .max, count: first.pointee.distinct)
            var next: UInt32 = 0
            var merged = [UInt32](repeating: 0, count: records)
            var row = 0
            for s in segments {
                let column = workers[s.worker].state.pointee.columns![slot]
                let remap = remaps[s.worker]
                for r in s.firstRow..<(s.firstRow + s.records) {
                    var c = column.code(at: r)
                    if s.worker != 0 { c = remap[Int(c)] }
                    if order[Int(c)] == .max { order[Int(c)] = next; next += 1 }
                    merged[row] = order[Int(c)]
                    row += 1
                }
            }
            var byNew = [Int](repeating: -1, count: Int(next))
            for (old, new) in order.enumerated() where new != .max { byNew[Int(new)] = old }
            let firstColumn = first.pointee
            values.append(byNew.map { k in
                Array(UnsafeBufferPointer(start: firstColumn.arena + firstColumn.starts[k], count: firstColumn.starts[k + 1] - firstColumn.starts[k]))
            })
            if next <= 256 { codes.append(.uint8(merged.map { UInt8(truncatingIfNeeded: $0) })) }
            else if next <= 65_536 { codes.append(.uint16(merged.map { UInt16(truncatingIfNeeded: $0) })) }
            else { codes.append(.uint32(merged)) }
            for w in workers {
                w.state.pointee.columns![slot].free()
                w.state.pointee.columns![slot] = .make()
            }
        }
        return (values, codes, records, breaks, bad, badTotal)
    }
}

/// A value handed to the workers; the blocks they write are disjoint.
struct UnsafeSendable<T>: @unchecked Sendable {
    var value: T
}
