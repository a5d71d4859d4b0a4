import Foundation
import PropertyBased
import Testing
@testable import MonitorCore

/// The block reader (file cut at record boundaries, blocks parsed on several workers, quote-free lines split
/// without libcsv) reads every file exactly as libcsv alone reads it sequentially: the same header, rows,
/// dictionaries, line numbers, and the same errors at the same lines. The cases are made of the corners that
/// break naive splitters: quoted line breaks and delimiters, doubled quotes, LF, CRLF and bare CR line ends (and
/// a stray CR inside a line), blank and whitespace-only lines, spaces around fields, short and long records,
/// malformed and unterminated quotes, NUL bytes, a missing final line end.
@Suite("Block reader = sequential libcsv")
struct BlockParserTests {
    static let pieces = ["a", "ja", "12", " 7 ", "\t x\t", "", "é€", "weet_niet", "\"q,uoted\"", "\"two\nlines\"",
                         "\"dou\"\"ble\"", "\"\"", "\"cr\r\nlf\"", "\" sp \""]
    static let broken = ["a\"b", "\"open", "\"x\"y"]
    static let lineEnds = ["\n", "\r\n", "\r"]

    /// A random file: a header, then records of random pieces (sometimes the wrong number of fields, blank lines,
    /// a broken quote), joined with random line ends.
    static let file = Gen.int(in: 0...Int.max).map { seed -> String in
        var r = SplitMix64(state: UInt64(truncatingIfNeeded: seed))
        let width = 1 + r.below(5)
        let delimiter = [",", ";", "\t"][r.below(3)]
        let newline = lineEnds[r.below(3)]
        var text = (0..<width).map { "c\($0)" }.joined(separator: delimiter) + newline
        let records = r.below(60)
        for k in 0..<records {
            switch r.below(40) {
            case 0: text += newline  // blank line
            case 1: text += "  \t" + newline  // whitespace only
            case 2: text += (0...(width + r.below(2))).map { _ in pieces[r.below(pieces.count)] }.joined(separator: delimiter) + newline
            case 3 where r.below(4) == 0: text += broken[r.below(broken.count)] + newline
            case 4 where r.below(3) == 0: text += "x" + lineEnds[2]  // old Mac line end inside a line
            case 5 where r.below(3) == 0: text += "x\r\r\n"  // CRLF written through a text-mode filter
            case 6 where r.below(6) == 0: text += "n\0l" + newline  // a NUL byte
            default:
                let fields = (0..<width).map { _ in pieces[r.below(pieces.count)] }
                text += fields.joined(separator: delimiter)
                if k < records - 1 || r.below(3) != 0 { text += newline }
            }
        }
        if r.below(30) == 0 { text += "\"unterminated" }
        return text
    }

    enum Outcome: Equatable {
        case table(header: [String], rows: Int, columns: [RawTextColumn], lineIndex: LineIndex)
        case failure(String)
    }

    static func read(_ path: String, parallel: Bool, fastPath: Bool = true, blockSize: Int = 64, workers: Int = 3,
                     columns: ColumnSelection = .all) -> Outcome {
        var reader = CSVReader(chunkSize: 16)
        reader.parallel = parallel
        reader.fastPath = fastPath
        reader.blockSize = blockSize
        reader.minimumSplit = 1
        reader.workers = workers
        do {
            let t = try reader.read(.file(path), columns: columns)
            return .table(header: t.header, rows: t.rowCount, columns: t.columns, lineIndex: t.lineIndex)
        } catch {
            return .failure("\(error)")
        }
    }

    @Test("random files with every CSV corner: same table or same error, fast path on and off, any block size")
    func sameAsSequential() async {
        await propertyCheck(count: 400, input: Self.file, Gen.int(in: 8...300), Gen.int(in: 1...4)) { text, blockSize, workers in
            let path = Fixtures.temporary(Array(text.utf8))
            let reference = Self.read(path, parallel: false)
            let blocks = Self.read(path, parallel: true, blockSize: blockSize, workers: workers)
            let libcsvOnly = Self.read(path, parallel: true, fastPath: false, blockSize: blockSize, workers: workers)
            #expect(blocks == reference, "\(text.debugDescription)")
            #expect(libcsvOnly == reference, "\(text.debugDescription)")
        }
    }

    @Test("a kept subset of columns reads the same; a large file is split across workers at record boundaries")
    func largeFile() throws {
        var text = "id,naam,opmerking,ernst\n"
        for i in 0..<20_000 {
            let remark = i % 7 == 0 ? "\"regel een\nregel \"\"twee\"\", met komma\"" : (i % 5 == 0 ? "  " : "geen")
            text += "\(i),naam \(i % 13),\(remark),\(i % 11)\(i % 3 == 0 ? "\r\n" : "\n")"
        }
        let path = Fixtures.temporary(Array(text.utf8))
        let subset = ColumnSelection.required(["ernst", "opmerking"])
        let reference = Self.read(path, parallel: false, columns: subset)
        for blockSize in [4096, 65_536, 1 << 24] {
            #expect(Self.read(path, parallel: true, blockSize: blockSize, workers: 2, columns: subset) == reference)
        }
        if case .table(_, let rows, let columns, let lines) = reference {
            #expect(rows == 20_000)
            #expect(columns.map(\.name) == ["ernst", "opmerking"])
            // Record 7 starts after record 0's two-line remark: line 2 + 7 + 1.
            #expect(lines.line(ofRecord: 7) == 10)
        } else {
            Issue.record("the reference read failed")
        }
    }

    @Test("LF, CRLF and bare CR line ends: the same rows, values and line numbers, sequential and in blocks",
          arguments: [1, 7, 1 << 22])
    func lineEndStyles(chunkSize: Int) throws {
        var records = ["id,naam,opmerking"]
        for i in 0..<3_000 {
            records.append("\(i),naam \(i % 13),\(i % 7 == 0 ? "\"met, komma\"" : (i % 5 == 0 ? "" : "geen"))")
        }
        var outcomes: [Outcome] = []
        for newline in Self.lineEnds {
            let path = Fixtures.temporary(Array((records.joined(separator: newline) + newline).utf8))
            for (parallel, fastPath) in [(false, true), (true, true), (true, false)] {
                var reader = CSVReader(chunkSize: chunkSize)
                reader.parallel = parallel
                reader.fastPath = fastPath
                reader.blockSize = 4096
                reader.minimumSplit = 1
                reader.workers = 2
                let t = try reader.read(.file(path), columns: .all)
                outcomes.append(.table(header: t.header, rows: t.rowCount, columns: t.columns, lineIndex: t.lineIndex))
            }
        }
        #expect(outcomes.allSatisfy { $0 == outcomes[0] })
        if case .table(let header, let rows, _, _) = outcomes[0] {
            #expect(header == ["id", "naam", "opmerking"])
            #expect(rows == 3_000)
        }
    }

    @Test("a NUL byte is an error at its line and column, sequential and in blocks")
    func nulByte() throws {
        var text = "a,b\r\n"
        for i in 0..<2_000 { text += "\(i),x\r\n" }
        text += "2000,x\0y\r\n"
        let path = Fixtures.temporary(Array(text.utf8))
        let reference = Self.read(path, parallel: false)
        #expect(Self.read(path, parallel: true, blockSize: 1024, workers: 2) == reference)
        guard case .failure(let message) = reference else { Issue.record("no error"); return }
        #expect(message.contains("line 2002, column 2 \"b\", value \"x\\0\": a NUL byte"), "\(message)")
    }

    @Test("malformed quoting deep in a large file is reported at its line, as the sequential reader reports it")
    func malformedDeep() throws {
        var text = "a,b\n"
        for i in 0..<5_000 { text += "\(i),\"x\ny\"\n" }
        text += "5000,x\"y\n"
        for i in 0..<5_000 { text += "\(i),z\n" }
        let path = Fixtures.temporary(Array(text.utf8))
        let reference = Self.read(path, parallel: false)
        #expect(Self.read(path, parallel: true, blockSize: 1024, workers: 2) == reference)
        guard case .failure(let message) = reference else { Issue.record("no error"); return }
        #expect(message.contains("10002"), "\(message)")
    }
}
