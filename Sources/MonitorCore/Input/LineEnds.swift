#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The physical lines of a buffer. A line ends at LF, at CRLF, or at a CR not followed by LF (old Mac files,
/// a stray CR), exactly where libcsv ends a record outside quotes; every reader (sequential, blocks, the
/// column appender of `weigh`) cuts and counts lines with it, so all agree on records and line numbers.
///
/// It remembers where the next LF and the next CR are, so a buffer is scanned once whatever its mix of line
/// ends (no rescan per line of a file without LF).
struct LineEnds {
    let base: UnsafeRawPointer
    let count: Int
    /// Whether a CR as the buffer's last byte ends a line: yes when the buffer ends at a record boundary or at
    /// the end of the input; no when more input follows (it may start with the LF of a CRLF), and the caller
    /// decides the line end from the next buffer's first byte.
    let crAtEndEndsLine: Bool
    private var lf = -1
    private var cr = -1

    init(_ start: UnsafeRawPointer, _ end: UnsafeRawPointer, crAtEndEndsLine: Bool) {
        base = start
        count = end - start
        self.crAtEndEndsLine = crAtEndEndsLine
    }

    /// The piece starting at `q` (a line start, or the rest of a line): its end, just after its line end (or the
    /// buffer's end), and whether it ends a line.
    @inline(__always)
    mutating func piece(from q: UnsafeRawPointer) -> (end: UnsafeRawPointer, endsLine: Bool) {
        let i = q - base
        if lf < i { lf = memchr(q, 10, count - i).map { UnsafeRawPointer($0) - base } ?? count }
        if cr < i { cr = memchr(q, 13, count - i).map { UnsafeRawPointer($0) - base } ?? count }
        if lf <= cr { return lf == count ? (base + count, false) : (base + lf + 1, true) }
        let next = cr + 1
        if next < count { return (base + (base.load(fromByteOffset: next, as: UInt8.self) == 10 ? next + 1 : next), true) }
        return (base + count, crAtEndEndsLine)
    }
}
