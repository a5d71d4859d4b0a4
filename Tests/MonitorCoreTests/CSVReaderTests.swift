import Foundation
import Testing
@testable import MonitorCore

/// The reader accepts what real exports look like: each quirk has a small fixture in Tests/Fixtures/input.
@Suite("Reading real-world CSV exports")
struct CSVReaderTests {
    @Test("comma-delimited UTF-8 with an empty field")
    func comma() throws {
        let table = try Fixtures.read("input/comma.csv")
        #expect(table.header == ["respondent_id", "bestuurslaag", "ernst"])
        #expect(table.dialect.delimiter == UInt8(ascii: ","))
        #expect(table.dialect.encoding == .utf8)
        #expect(!table.dialect.decimalComma)
        #expect(table.rows == [["1", "gemeente", "5"], ["2", "provincie", ""], ["3", "waterschap", "7"]])
    }

    @Test("semicolon is detected and implies decimal comma")
    func semicolon() throws {
        let table = try Fixtures.read("input/semicolon-decimal-comma.csv")
        #expect(table.dialect.delimiter == UInt8(ascii: ";"))
        #expect(table.dialect.decimalComma)
        #expect(table.column(named: "score")!.values.compactMap { NumberParsing.parse($0, decimalComma: true) } == [4.5, 3, 0.25])
    }

    @Test("tab-delimited")
    func tab() throws {
        let table = try Fixtures.read("input/tab.tsv")
        #expect(table.dialect.delimiter == 9)
        #expect(table.rows == [["1", "gemeente", "4.5"], ["2", "provincie", "3"]])
    }

    @Test("byte-order mark and CRLF line ends")
    func bomCRLF() throws {
        let table = try Fixtures.read("input/bom-crlf.csv")
        #expect(table.dialect.hadByteOrderMark)
        #expect(table.header == ["respondent_id", "bestuurslaag"])
        #expect(table.rows == [["1", "gemeente"], ["2", "provincie"]])
    }

    @Test("quoted fields with delimiters, doubled quotes, line breaks; blank lines skipped; lines tracked")
    func quoted() throws {
        let table = try Fixtures.read("input/quoted.csv")
        #expect(table.rows == [
            ["1", "komma, in het veld", "gemeente"],
            ["2", "zei \"stop\" en liep weg", "provincie"],
            ["3", "twee\nregels", "waterschap"],
            ["4", "", "gemeente"],
        ])
        // Record 4 starts on line 7: line 5 holds the second line of record 3, line 6 is blank.
        #expect((0..<4).map { table.lineIndex.line(ofRecord: $0) } == [2, 3, 4, 7])
    }

    @Test("Windows-1252 is detected from invalid UTF-8 and decoded (including 0x80-0x9F)")
    func windows1252() throws {
        let table = try Fixtures.read("input/windows-1252.csv")
        #expect(table.dialect.encoding == .windows1252)
        #expect(table.rows == [["1", "José", "café"], ["2", "Renée", "\u{201C}citaat\u{201D} € 5"]])
    }

    @Test("--encoding utf-8 on a Windows-1252 file is an error at the first bad value")
    func forcedUTF8() throws {
        let error = #expect(throws: DataError.self) {
            try Fixtures.read("input/windows-1252.csv", options: CSVOptions(encoding: .fixed(.utf8)))
        }
        #expect(error?.kind == .encoding)
        #expect(error?.position.line == 2)
        #expect(error?.position.columnName == "naam")
    }

    @Test("only the selected columns are kept, in the order asked")
    func selection() throws {
        let table = try Fixtures.read("input/quoted.csv", .named(["bestuurslaag", "respondent_id", "bestaat_niet"], required: []))
        #expect(table.columns.map(\.name) == ["bestuurslaag", "respondent_id"])
        #expect(table.columns.map(\.position) == [3, 1])
        #expect(table.rows.first == ["gemeente", "1"])
    }

    @Test("a header without data rows is zero rows, not an error")
    func headerOnly() throws {
        let table = try Fixtures.read("input/header-only.csv")
        #expect(table.rowCount == 0)
        #expect(table.header == ["a", "b"])
    }

    @Test("tiny chunks give the same result as one chunk (records and quotes split across reads)")
    func chunkBoundaries() throws {
        let whole = try Fixtures.read("input/quoted.csv")
        for size in [1, 2, 3, 5, 7, 16] {
            let chunked = try Fixtures.read("input/quoted.csv", chunkSize: size)
            #expect(chunked.rows == whole.rows, "chunk size \(size)")
            #expect(chunked.lineIndex == whole.lineIndex, "chunk size \(size)")
        }
    }

    @Test("categorical codes start narrow and widen past 256 and 65,536 distinct values")
    func codeWidths() throws {
        var text = "v\n"
        for i in 0..<70_000 { text += "\(i % 70_000)\n" }
        let table = try CSVReader().read(.file(Fixtures.temporary(Array(text.utf8))), columns: .all)
        let column = table.columns[0]
        guard case .uint32 = column.codes else { Issue.record("expected 32-bit codes"); return }
        #expect(column.values.count == 70_000)
        #expect(column[69_999] == "69999")
        let small = try Fixtures.read("input/comma.csv")
        guard case .uint8 = small.columns[1].codes else { Issue.record("expected 8-bit codes"); return }
    }
}

/// Bad input is an error naming file, line, column and value.
@Suite("Rejecting malformed CSV")
struct CSVReaderErrorTests {
    @Test("too few and too many fields: every bad line is reported")
    func fieldCounts() throws {
        let few = #expect(throws: DataErrors.self) { try Fixtures.read("input/too-few-fields.csv") }
        #expect(few?.errors.map(\.position.line) == [3])
        #expect(few?.errors.first?.message == "too few fields: expected 3 (as in the header), found 2")
        let many = #expect(throws: DataErrors.self) { try Fixtures.read("input/too-many-fields.csv") }
        #expect(many?.errors.first?.message == "too many fields: expected 3 (as in the header), found 4")
        #expect(many?.errors.first?.position.line == 3)
    }

    @Test("unterminated quote names the line where the field starts")
    func unterminated() throws {
        let error = #expect(throws: DataError.self) { try Fixtures.read("input/unterminated-quote.csv") }
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.position.line == 3)
    }

    @Test("a quote inside an unquoted field names line, column and value")
    func malformed() throws {
        let error = #expect(throws: DataError.self) { try Fixtures.read("input/malformed-quote.csv") }
        #expect(error?.kind == .malformedQuote)
        #expect(error?.position.line == 3)
        #expect(error?.position.column == 2)
        #expect(error?.position.columnName == "b")
        #expect(error?.position.value == "5")
    }

    @Test("duplicate and empty header names")
    func headers() throws {
        let duplicate = #expect(throws: DataError.self) { try Fixtures.read("input/duplicate-header.csv") }
        #expect(duplicate?.kind == .duplicateHeader)
        #expect(duplicate?.position.column == 3)
        let empty = #expect(throws: DataError.self) { try Fixtures.read("input/empty-header.csv") }
        #expect(empty?.kind == .emptyHeader)
        #expect(empty?.position.column == 2)
    }

    @Test("empty files and files of blank lines")
    func emptyFiles() throws {
        for name in ["input/empty.csv", "input/blank-lines-only.csv"] {
            let error = #expect(throws: DataError.self) { try Fixtures.read(name) }
            #expect(error?.kind == .emptyFile)
        }
    }

    @Test("a required column that is missing, with a suggestion")
    func missingColumn() throws {
        let error = #expect(throws: DataError.self) {
            try Fixtures.read("input/comma.csv", .required(["Bestuurslaag", "respondent_id"]))
        }
        #expect(error?.kind == .missingColumn)
        #expect(error?.message.contains("did you mean \"bestuurslaag\"") == true)
    }

    @Test("a missing file")
    func missingFile() throws {
        let error = #expect(throws: DataError.self) { try Fixtures.read("input/does-not-exist.csv") }
        #expect(error?.kind == .io)
    }
}
